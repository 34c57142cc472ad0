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

    private static func detail(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no resource at \(request.method) \(request.uri.path)"
        case .contentTooLarge: "the request body is too large"
        default: status.reasonPhrase
        }
    }
}
