import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/audit`: the administrative actions, newest first, for admins only.
struct AuditController {
    let database: AppDatabase
    let now: @Sendable () -> Date

    /// The answer: the entries, newest first.
    struct Reply: ResponseCodable {
        let entries: [AuditEntry]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/audit") { request, context in
            try context.requireAdmin(for: "the audit log")
            var query = try ParameterReader(request.query(), accepted: ["since", "limit"], endpoint: "/v1/audit")
            let since = query["since"]
            if let since, Timestamp.parse(since) == nil {
                // A query is form-encoded: an offset's "+" arrives as a space unless it was sent as %2B.
                query.report(
                    "since",
                    "'\(since)' is not an RFC 3339 date-time with offset (in a URL, write the offset's + as %2B), "
                        + "e.g. 2024-11-29T10:00:00%2B07:00")
            }
            let limit = query.int("limit", in: 1...10_000) ?? 1_000
            try query.check()
            let entries = try await database.auditEntries(
                since: since.flatMap(Timestamp.parse).map(Timestamp.format), limit: limit)
            return Reply(entries: entries)
        }
    }
}
