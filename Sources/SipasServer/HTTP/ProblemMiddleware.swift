import Hummingbird
import Logging
import SipasDomain

/// The one error-mapping place: every error leaves as problem+json; unexpected ones are logged at error level
/// (Hummingbird would otherwise send an empty 500 and log it only at debug level).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let failure as ResponseWriter.WriteFailure {
            return try Self.problem(for: failure).response(from: request, context: context)
        } catch let error as HTTPError {
            let detail = error.body ?? Self.detail(for: error.status, request: request)
            return try Problem(status: error.status, detail: detail, headers: error.headers).response(
                from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Problem(status: error.status, detail: Self.detail(for: error.status, request: request))
                .response(from: request, context: context)
        } catch {
            if let problem = Problem(domain: error) { return try problem.response(from: request, context: context) }
            context.logger.error(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try Problem(
                status: .internalServerError, detail: "the server could not complete the request; it has been logged"
            )
            .response(from: request, context: context)
        }
    }

    /// Nothing of the request was stored in either case, so it can be sent again as it is.
    private static func problem(for failure: ResponseWriter.WriteFailure) -> Problem {
        switch failure {
        case .queueFull:
            Problem(
                status: .serviceUnavailable,
                detail: "the server is busy storing other responses; nothing was stored, send again later",
                headers: [.retryAfter: "1"])
        case .commitFailed:
            Problem(
                status: .serviceUnavailable,
                detail: "the responses could not be written to the database; nothing was stored, send again",
                headers: [.retryAfter: "5"])
        case .changedMeanwhile:
            Problem(
                status: .serviceUnavailable,
                detail: "this device or the units were changed while the responses were being stored; nothing was "
                    + "stored, send again",
                headers: [.retryAfter: "1"])
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

// MARK: - Errors of the domain

extension Problem {
    /// The 4xx of an error the domain or a service throws when its rules refuse what a request asked for (nil for
    /// any other error): handlers let them through, and the dashboard's pages and the command line show the same
    /// words. The errors: InvalidInput and FieldProblem (validation, parameters, units), AccessRefused (who is
    /// asking), ImportRefused (files, by line), WorkingCalendar.NotCovered (a year outside the calendar),
    /// StuffingSettingProblem (below).
    init?(domain error: any Error) {
        switch error {
        case let invalid as InvalidInput:
            self = .invalid(invalid)
        case let problem as FieldProblem:
            self = .invalid(InvalidInput([problem]))
        case let refused as ImportRefused:
            self.init(
                status: .unprocessableContent, detail: refused.problems.map(\.description).joined(separator: "; "),
                errors: refused.problems.map { FieldProblem(field: "line \($0.line)", message: $0.message) })
        case AccessRefused.unauthorized(let detail):
            self = .unauthorized(detail)
        case AccessRefused.forbidden(let detail):
            self.init(status: .forbidden, detail: detail)
        case let uncovered as WorkingCalendar.NotCovered:
            self.init(
                status: .unprocessableContent, detail: uncovered.description,
                errors: [FieldProblem(field: "year", message: uncovered.description)])
        default:
            // StuffingSettingProblem is the operator's (a setting, refused at start-up): if it ever reached a request,
            // the server would be at fault, so it stays a logged 500.
            return nil
        }
    }
}
