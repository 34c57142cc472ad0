import Foundation
import Hummingbird
import NIOCore
import SipasDomain

/// Reads a JSON request body: checks the media type and the size limit before decoding, and turns
/// decoding failures into 400 (not JSON at all) or 422 (JSON of the wrong shape, naming the field).
enum RequestBody {
    /// How long a body may take to arrive once the request has started: a client trickling bytes would
    /// otherwise hold its connection and buffer for as long as it likes (the idle timeout only catches silence).
    /// Set for each request from the configuration by ``BodyTimeoutMiddleware``.
    @TaskLocal static var timeout: Duration = .seconds(30)

    static func decodeJSON<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int) async throws
        -> Value
    {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw Problem(
                status: .unsupportedMediaType,
                detail: "Content-Type must be application/json, got \(request.headers[.contentType] ?? "none")")
        }
        let tooLarge = Problem(
            status: .contentTooLarge, detail: "the request body is larger than \(describe(bytes: limit))")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await collect(request, upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let data = Data(buffer: buffer)
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            throw problem(error, body: data)
        }
    }

    /// The whole body, or 408 when it has not arrived within ``timeout``.
    static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await request.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    // A chunked body has no Content-Length to check beforehand; it fails here, mid-way.
                    throw HTTPError(.contentTooLarge)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let buffer = try await group.next() ?? nil else {
                throw Problem(
                    status: .requestTimeout,
                    detail: "the request body did not arrive within \(timeout.components.seconds) s")
            }
            return buffer
        }
    }

    /// 400 when the document cannot be parsed, 422 naming the field otherwise.
    static func problem(_ error: DecodingError, body: Data) -> Problem {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            // Foundation also says "not valid JSON" for valid JSON of the wrong shape; tell the two apart.
            guard (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) != nil else {
                return Problem(status: .badRequest, detail: "the body is not valid JSON")
            }
            let message = "does not have the expected shape (a number out of range or of the wrong kind)"
            return Problem(
                status: .unprocessableContent, detail: "body: \(message)",
                errors: [FieldProblem(field: "body", message: message)])
        }
        let (field, message) = JSONProblem.fieldAndMessage(error)
        let named = field.isEmpty ? "body" : field
        return Problem(
            status: .unprocessableContent, detail: "\(named): \(message)",
            errors: [FieldProblem(field: named, message: message)])
    }

    static func describe(bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes / 1024) KiB"
    }
}

/// Applies the configured body timeout to every request.
struct BodyTimeoutMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try await RequestBody.$timeout.withValue(timeout) { try await next(request, context) }
    }
}
