import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Stuffing flags: GET /v1/flags and excludeFlagged")
struct FlagsAPITests {
    /// A SIPAS response of commune 30172 submitted at `time` (Vietnam) on `day`.
    static func response(_ time: String, day: String = "2024-11-29", answers: String, extra: String = "") -> String {
        #"{"id":"\#(UUID().uuidString)","survey":"sipas","surveyVersion":1,"unit":"30172","channel":"desk","answers":\#(answers),"#
            + #""submittedAt":"\#(day)T\#(time)+07:00"\#(extra)}"#
    }

    /// Six ordinary responses on Friday 29/11/2024: a1 satisfied 3 of 6, s1 2 of 6.
    static let ordinary = zip(
        ["07:30:00", "08:00:00", "08:20:00", "08:40:00", "09:00:00", "09:10:00"],
        [(5, 2), (4, 2), (2, 4), (1, 5), (3, 1), (4, 1)]
    )
    .map { response($0, answers: #"{"a1":\#($1.0),"s1":\#($1.1)}"#) }

    /// Eleven responses 10 s apart from 09:40:00, all fully satisfied: more than 10 within 300 s. They name a
    /// dossier the server does not know.
    static let burst = (0..<11).map {
        response(
            String(format: "09:4%d:%02d", $0 / 6, $0 % 6 * 10), answers: #"{"a1":5,"s1":5}"#,
            extra: #","dossier":"HS-0001""#)
    }

    static func post(_ bodies: [String], key: String, client: any TestClientProtocol) async throws {
        let reply = try await client.post(
            "/v1/responses/batch", key: key, json: #"{"responses":[\#(bodies.joined(separator: ","))]}"#)
        #expect(try reply.decode(ResponsesController.BatchReply.self).created == bodies.count, "\(reply.text)")
    }

    @Test("a burst from one desk is flagged and listed for admins with its reasons; a Sunday response too")
    func burstListed() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey(unit: "875", desk: "Một cửa 1")
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let sunday = Self.response("10:00:00", day: "2024-11-24", answers: #"{"a1":4,"s1":4}"#)
            try await Self.post(Self.ordinary + Self.burst + [sunday], key: device, client: client)

            let json = try await client.get("/v1/flags?unit=875&from=2024-11-01&to=2024-11-30", token: admin)
                .decode(FlagsController.Reply.self)
            #expect(json.total == 12)
            #expect(json.byReason == ["burst": 11, "identicalRun": 11, "outsideOfficeHours": 1])
            #expect(json.thresholds.burstMaximum == 10)
            let listed = json.responses
            #expect(listed.count == 12)
            let first = try #require(listed.first)
            #expect(first.submittedAt == "2024-11-24T10:00:00+07:00")
            #expect(first.reasons.map(\.reason) == ["outsideOfficeHours"])
            // Each names its device (an integer, as the type says), desk and unit.
            let burst = listed.dropFirst()
            #expect(burst.allSatisfy { $0.desk == "Một cửa 1" && $0.unit == "30172" })
            let reasons = try #require(burst.first?.reasons)
            #expect(reasons.map(\.reason) == ["burst", "identicalRun"])
            #expect(
                reasons.first?.detail
                    == "one of 11 responses from 09:40:00 to 09:41:40 (Vietnam time), up to 11 within 300 s; a desk serves at most 10 in that time"
            )
            #expect(burst.first?.submittedAt == "2024-11-29T09:40:00+07:00")

            // A limit lists the first ones only; the counts are still over every flagged response.
            let limited = try await client.get("/v1/flags?unit=875&from=2024-11-01&to=2024-11-30&limit=3", token: admin)
                .decode(FlagsController.Reply.self)
            #expect(limited.total == 12 && limited.truncated == true)
            #expect(limited.byReason == ["burst": 11, "identicalRun": 11, "outsideOfficeHours": 1])
            #expect(limited.responses.map(\.id) == listed.prefix(3).map(\.id))

            // Another unit's scope does not see them; a bad limit is named.
            let other = try await client.get("/v1/flags?unit=30169&from=2024-11-01&to=2024-11-30", token: admin)
                .decode(FlagsController.Reply.self)
            #expect(other.total == 0)
            #expect(try await client.get("/v1/flags?limit=0", token: admin).status == .unprocessableContent)
            #expect(try await client.get("/v1/flags?unit=nowhere", token: admin).status == .unprocessableContent)
        }
    }

    @Test("excludeFlagged=true changes the figures by exactly the flagged responses")
    func excludeFlagged() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey(unit: "875", desk: "Một cửa 1")
        let official = try env.token(.official, unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            try await Self.post(Self.ordinary + Self.burst, key: device, client: client)
            let period = "unit=875&from=2024-11-29&to=2024-11-29"

            // All 17: a1 (3 + 11) / 17 satisfied, s1 (2 + 11) / 17; SIPAS = the mean of access (a1) and staff (s1).
            let all = try await client.get("/v1/index?\(period)", token: official).decode(IndexController.Reply.self)
            #expect(all.respondents == 17)
            #expect(all.excludedFlagged == nil)
            let allValue = try #require(all.sipas.value)
            #expect(allValue == 79.41)  // (14/17 + 13/17) / 2 = 27/34 = 79,4117… %

            // Without the 11 of the burst: a1 3 / 6, s1 2 / 6.
            let kept = try await client.get("/v1/index?\(period)&excludeFlagged=true", token: official)
                .decode(IndexController.Reply.self)
            #expect(kept.respondents == 6)
            #expect(kept.excludedFlagged == 11)
            let keptValue = try #require(kept.sipas.value)
            #expect(keptValue == 41.67)  // (1/2 + 1/3) / 2 = 5/12 = 41,666… %
            let items = Dictionary(uniqueKeysWithValues: kept.items.map { ($0.id, $0) })
            #expect(items["a1"]?.n == 6 && items["a1"]?.satisfied == 3)
            #expect(items["s1"]?.n == 6 && items["s1"]?.satisfied == 2)

            // The same through a breakdown, the CSV and a comparison.
            let byOutcome = try await client.get("/v1/index?\(period)&groupBy=timeliness", token: official)
                .decode(IndexController.Reply.self)
            #expect(byOutcome.groups.map { $0.figures?.respondents } == [11])
            let byOutcomeKept = try await client.get(
                "/v1/index?\(period)&groupBy=timeliness&excludeFlagged=true", token: official
            )
            .decode(IndexController.Reply.self)
            #expect(byOutcomeKept.groups.isEmpty)
            let byUnit = try await client.get("/v1/index?\(period)&excludeFlagged=true&groupBy=unit", token: official)
                .decode(IndexController.Reply.self)
            let commune = byUnit.groups.first { $0.key == "30172" }
            #expect(commune?.figures?.respondents == 6)
            let csv = try await client.get("/v1/index.csv?\(period)&excludeFlagged=true", token: official).text
            #expect(csv.contains("excludedFlagged,,flagged responses left out (excludeFlagged=true),,,,11,"))
            let compare = try await client.get(
                "/v1/index/compare?unit=875&from1=2024-11-01&to1=2024-11-28&from2=2024-11-29&to2=2024-11-29&excludeFlagged=true",
                token: official
            ).decode(IndexController.Comparison.self)
            #expect(compare.second.excludedFlagged == 11)
            #expect(
                try await client.get("/v1/index?\(period)&excludeFlagged=yes", token: official).status
                    == .unprocessableContent)
        }
        // Read a page at a time, the sums are the same whatever the page's size, over its edges too.
        let snapshot = try await UnitCache(database: env.database).current()
        var fetch = TallyFetch(survey: "sipas")
        fetch.ranges = UnitAccess.ranges(
            try UnitAccess.scope(
                unit: "875", period: Period(year: 2024)!, reader: .admin, snapshot: snapshot), snapshot: snapshot)
        let catalog = try await env.database.surveyCatalog()
        let contribution: @Sendable (FlaggedContribution) -> (String, TallySheet)? = { response in
            catalog.definition(response.survey, version: response.surveyVersion).map {
                (
                    response.group,
                    ResponseContribution.tallies(
                        answers: response.answers, expectations: response.expectations, definition: $0)
                )
            }
        }
        let whole = try await env.database.sumFlagged(fetch, contribution)
        #expect(whole.count == 11 && whole.sheets.count == 1)
        for page in [1, 3, 10, 11] {
            #expect(try await env.database.sumFlagged(fetch, page: page, contribution) == whole, "page \(page)")
        }
    }

    @Test("flags follow later responses: the eleventh response puts the ten before it into a burst")
    func laterResponses() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey(unit: "875", desk: "Một cửa 1")
        let admin = try env.token(.admin, unit: nil)
        // Varied answers, so only the burst signal is at play.
        let bodies = (0..<11).map {
            Self.response(
                String(format: "09:4%d:%02d", $0 / 6, $0 % 6 * 10),
                answers: #"{"a1":\#(1 + $0 % 5),"s1":\#(1 + $0 / 5)}"#)
        }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            try await Self.post(Array(bodies.prefix(10)), key: device, client: client)
            func total() async throws -> Int {
                try await client.get("/v1/flags?unit=875&year=2024", token: admin).decode(FlagsController.Reply.self)
                    .total
            }
            #expect(try await total() == 0)
            try await Self.post([bodies[10]], key: device, client: client)
            #expect(try await total() == 11)
        }
        // New thresholds (a desk serving 20 in 5 minutes) recompute the stored flags at the next start: a second
        // start is the point.
        var relaxed = env.configuration
        relaxed.stuffing.burstMaximum = 20
        try await env.withApp(relaxed) { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/flags?unit=875&year=2024", token: admin)
                .decode(FlagsController.Reply.self)
            #expect(json.total == 0)
            #expect(json.thresholds.burstMaximum == 20)
        }
    }

    @Test("only admins list flags: officials and devices 403, no token 401")
    func adminOnly() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey()
        let official = try env.token(.official, unit: "875")
        let integration = try env.token(.integration, unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            #expect(try await client.get("/v1/flags?unit=875", token: official).status == .forbidden)
            #expect(try await client.get("/v1/flags?unit=875", token: integration).status == .forbidden)
            #expect(try await client.get("/v1/flags?unit=875", token: device).status == .forbidden)
            #expect(try await client.get("/v1/flags?unit=875", token: nil).status == .unauthorized)
            #expect(try await client.get("/v1/flags?unit=875", token: "not-a-token").status == .unauthorized)
        }
    }

    @Test("a bad stuffing setting stops the start, naming it")
    func badSetting() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        #expect {
            try env.database.applyStuffingThresholds(
                {
                    var t = StuffingThresholds(); t.officeHours = "7h-17h"; return t
                }())
        } throws: { error in
            "\(error)".hasPrefix("stuffing.officeHours: '7h-17h' is not HH:MM-HH:MM")
        }
    }
}
