import Foundation
import Hummingbird
import SipasDomain

/// Reads a JSON request body: checks the media type and the size limit before decoding, and turns
/// decoding failures into 400 (not JSON at all) or 422 (JSON of the wrong shape, naming the field).
enum RequestBody {
    static func decodeJSON<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int) async throws -> Value {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw Problem(
                status: .unsupportedMediaType,
                detail: "Content-Type must be application/json, got \(request.headers[.contentType] ?? "none")")
        }
        let tooLarge = Problem(status: .contentTooLarge, detail: "the request body is larger than \(describe(bytes: limit))")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw problem(error)
        }
    }

    /// 400 when the document cannot be parsed, 422 naming the field otherwise.
    static func problem(_ error: DecodingError) -> Problem {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            let reason = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return Problem(status: .badRequest, detail: "the body is not valid JSON" + (reason.map { ": \($0)" } ?? ""))
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
