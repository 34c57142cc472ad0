import Hummingbird
import Logging

/// The one error-mapping place: every error leaves as problem+json; unexpected ones are logged at error level
/// (Hummingbird would otherwise send an empty 500 and log it only at debug level).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let failure as ResponseWriter.WriteFailure {
            return try Self.problem(for: failure).response(from: request, context: context)
        } catch let error as HTTPError {
            let detail = error.body ?? Self.detail(for: error.status, request: request)
            return try Problem(status: error.status, detail: detail, headers: error.headers).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Problem(status: error.status, detail: Self.detail(for: error.status, request: request))
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try Problem(status: .internalServerError, detail: "the server could not complete the request; it has been logged")
                .response(from: request, context: context)
        }
    }

    /// Nothing of the request was stored in either case, so it can be sent again as it is.
    private static func problem(for failure: ResponseWriter.WriteFailure) -> Problem {
        switch failure {
        case .queueFull:
            Problem(
                status: .serviceUnavailable, detail: "the server is busy storing other responses; nothing was stored, send again later",
                headers: [.retryAfter: "1"])
        case .commitFailed:
            Problem(
                status: .serviceUnavailable, detail: "the responses could not be written to the database; nothing was stored, send again",
                headers: [.retryAfter: "5"])
        }
    }

    private static func detail(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no resource at \(request.method) \(request.uri.path)"
        case .contentTooLarge: "the request body is too large"
        default: status.reasonPhrase
        }
    }
}
