import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/audit`: the administrative actions, newest first, for admins only.
struct AuditController {
    let database: AppDatabase
    let now: @Sendable () -> Date

    struct Reply: Encodable {
        let entries: [AuditEntry]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/audit") { request, _ in
            try await BearerCredential.requireAdmin(request, in: database, now: now(), for: "the audit log")
            let query = try request.queryValues()
            let since = query["since"]
            if let since, Timestamp.parse(since) == nil {
                // A query is form-encoded: an offset's "+" arrives as a space unless it was sent as %2B.
                let message = "is not an RFC 3339 date-time with offset (in a URL, write the offset's + as %2B)"
                throw Problem(
                    status: .unprocessableContent, detail: "since: '\(since)' \(message)",
                    errors: [FieldProblem(field: "since", message: message)])
            }
            let limit = query["limit"].map { Int($0) ?? 0 } ?? 1_000
            guard (1...10_000).contains(limit) else {
                throw Problem(
                    status: .unprocessableContent, detail: "limit: must be a whole number from 1 to 10000",
                    errors: [FieldProblem(field: "limit", message: "must be a whole number from 1 to 10000")])
            }
            let entries = try database.auditEntries(since: since.flatMap(Timestamp.parse).map(Timestamp.format), limit: limit)
            return try JSONResponse.make(Reply(entries: entries))
        }
    }
}
