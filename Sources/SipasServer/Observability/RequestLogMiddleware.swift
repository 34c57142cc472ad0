import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Gives every request an id, put on each of its log lines (`request`) and in its answer (`X-Request-Id`),
/// logs one line per request (at debug level when it succeeded) and counts it in the metrics.
///
/// The log line names the matched route, never the raw path or query (a ticket in the path is a
/// credential) and never a header; bodies, comments and keys are not logged anywhere.
struct RequestLogMiddleware: RouterMiddleware {
    let metrics: AppMetrics

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = Self.acceptedID(request.headers[.requestID]) ?? Self.newID()
        context.logger[metadataKey: "request"] = .string(id)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The problem middleware inside answers every error; this is only a safety net.
            context.logger.error(
                "request failed outside the error mapping", metadata: ["error": "\(String(reflecting: error))"])
            response = Response(status: .internalServerError)
        }
        response.headers[.requestID] = id
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code)
        let elapsed = ContinuousClock.now - started
        // Answered requests are routine (debug); refusals and failures are worth an operator's eye.
        context.logger.log(
            level: response.status.code >= 400 ? .info : .debug,
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "ms": .string(
                    String(
                        format: "%.1f",
                        Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
            ])
        return response
    }

    /// A caller's own id (e.g. from a reverse proxy) is kept when it is short and plain.
    static func acceptedID(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    static func newID() -> String {
        String(UUID().uuidString.prefix(18)).lowercased()
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
