import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/flags`: the responses the stuffing signals flagged, with the reasons, for admins only.
///
/// Officials are the people whose desks are rated, and a flag is a suspicion, not a finding, so only
/// admins see who and which desk; officials see the effect on the figures (`excludeFlagged=true`).
struct FlagsController {
    let database: AppDatabase
    let units: UnitCache
    let now: @Sendable () -> Date

    /// Most responses listed at once (`limit`), so a flood cannot make one answer huge.
    static let maximumLimit = 10_000

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/flags") { request, context in
            try context.requireAdmin(for: "the list of flagged responses")
            let query = try Query(parameters: request.query(), today: LocalDate(now()))
            let snapshot = try await units.current()
            let ranges = try query.unit.map { unit in
                try UnitAccess.ranges(unit: unit, period: query.period, reader: .admin, snapshot: snapshot)
            }
            try await database.refreshFlags(from: query.period.from, to: query.period.to)
            let flagged = try await database.flaggedResponses(
                ranges: ranges, from: query.period.from, to: query.period.to, limit: query.limit)
            let thresholds = try await database.stuffingThresholds()
            return Reply(query: query, flagged: flagged, thresholds: thresholds, snapshot: snapshot)
        }
    }

    // MARK: - Request and reply

    /// `unit` (optional: every unit), `from`/`to` or `year` (default: this year to today), `limit`.
    struct Query: Sendable {
        var unit: String?
        var period: Period
        var limit = 1_000

        init(parameters: QueryParameters, today: LocalDate) throws {
            var reader = ParameterReader(
                parameters, accepted: ["unit", "from", "to", "year", "limit"], endpoint: "/v1/flags")
            unit = reader["unit"].flatMap { $0.isEmpty ? nil : $0 }
            period = reader.period(today: today)
            limit = reader.int("limit", in: 1...FlagsController.maximumLimit) ?? limit
            try reader.check()
        }
    }

    /// One reason a response is flagged.
    struct Reason: Codable {
        let reason: String
        let detail: String
    }

    /// A flagged response, with where and when it was given.
    struct Listed: Codable {
        let id: String
        let survey: String
        let unit: String
        let unitName: String?
        let device: Int64
        let deviceLabel: String?
        let desk: String?
        let channel: String
        /// Vietnam local time with its offset.
        let submittedAt: String
        let reasons: [Reason]
    }

    /// The answer: the scope, the thresholds in force, the counts and the flagged responses.
    struct Reply: ResponseCodable {
        let unit: String?
        let from: String
        let to: String
        let thresholds: StuffingThresholds
        /// Flagged responses in the scope, all of them (the list stops at `limit`).
        let total: Int
        let byReason: [String: Int]
        let truncated: Bool
        let responses: [Listed]

        init(query: Query, flagged: FlaggedList, thresholds: StuffingThresholds, snapshot: UnitSnapshot) {
            unit = query.unit
            from = query.period.from.description
            to = query.period.to.description
            self.thresholds = thresholds
            total = flagged.total
            byReason = Dictionary(uniqueKeysWithValues: flagged.byReason.map { ($0.key.rawValue, $0.value) })
            truncated = flagged.truncated
            responses = flagged.responses.map { response in
                let submitted = Timestamp.parse(response.submittedAt)
                return Listed(
                    id: response.id, survey: response.survey, unit: response.unit,
                    unitName: submitted.flatMap { snapshot.directory.name(of: response.unit, on: LocalDate($0)) },
                    device: response.deviceID, deviceLabel: response.deviceLabel, desk: response.desk,
                    channel: response.channel,
                    submittedAt: submitted.map(Timestamp.formatLocal) ?? response.submittedAt,
                    reasons: response.flags.map { Reason(reason: $0.reason.rawValue, detail: $0.detail) })
            }
        }
    }
}
