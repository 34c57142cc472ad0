import PostgresNIO

/// An error of postgres-nio in words for the operator. Its own description is a fixed text on purpose (so that a
/// server's details never reach an HTTP client by accident); this is for messages to the operator and the log only:
/// the server's message and SQLSTATE, or the kind of failure and its cause (connection refused, TLS…).
struct PostgresErrorText: CustomStringConvertible, Sendable {
    let description: String

    init(_ error: any Error) {
        description = Self.text(error)
    }

    private static func text(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let server = error.serverInfo, let message = server[.message] {
                let detail = server[.detail].map { " (\($0))" } ?? ""
                return "\(message)\(detail) [SQLSTATE \(server[.sqlState] ?? "?")]"
            }
            return error.underlying.map { "\(error.code): \(text($0))" } ?? "\(error.code)"
        case let error as PostgresTransactionError:
            let cause = error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError
            return cause.map(text) ?? "the transaction failed"
        default:
            return String(describing: error)
        }
    }
}
