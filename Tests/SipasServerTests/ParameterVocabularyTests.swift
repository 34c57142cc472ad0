import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Each query parameter against its own words: survey channels are not dossier channels")
struct ParameterVocabularyTests {
    /// Runs `body` against the index fixture's app, with four dossiers of Xã Mỹ An Hưng A in March 2024 posted
    /// through it first: two direct, one online, one postal.
    static func withFixture(_ body: @Sendable (IndexFixture, any TestClientProtocol) async throws -> Void)
        async throws
    {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try fixture.env.importProcedures()
        let integration = try fixture.env.token(.integration, unit: "875")
        func dossier(_ code: String, _ channel: String) -> String {
            dossierJSON(code, status: "resolved", resolved: "2024-03-05T15:00:00+07:00")
                .replacingOccurrences(of: #""channel":"direct""#, with: #""channel":"\#(channel)""#)
        }
        let dossiers = [
            dossier("D-1", "direct"), dossier("D-2", "direct"), dossier("D-3", "online"), dossier("D-4", "postal"),
        ]
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let stored = try await client.post(
                "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(dossiers.joined(separator: ","))]}"#)
            #expect(try stored.decode(DossiersController.Reply.self).created == 4)
            try await body(fixture, client)
        }
    }

    @Test("/v1/timeliness?channel=online counts the dossiers received online, and says so")
    func timelinessChannel() async throws {
        try await Self.withFixture { fixture, client in
            for (channel, received) in [("online", 1), ("direct", 2), ("postal", 1)] {
                let answer = try await client.get(
                    "/v1/timeliness?unit=875&year=2024&channel=\(channel)", token: fixture.admin)
                #expect(answer.status == .ok, "\(answer.text)")
                let body = try answer.decode(TimelinessController.Reply.self)
                #expect(body.channel == channel)
                #expect(body.counts.received == received, "\(channel)")
            }
            let all = try await client.get("/v1/timeliness?unit=875&year=2024&groupBy=channel", token: fixture.admin)
                .decode(TimelinessController.Reply.self)
            #expect(all.groups.map(\.key) == ["direct", "online", "postal"])
        }
    }

    /// A query and what its 422 says: each parameter's own words, and the parameters each endpoint takes.
    static let refusals: [(uri: String, detail: String)] = [
        (
            "/v1/timeliness?unit=875&year=2024&channel=desk",
            "channel: 'desk' is not a dossier channel: one of direct, online, postal"
        ),
        (
            "/v1/index?unit=875&year=2024&channel=online",
            "channel: 'online' is not a response channel: one of desk, kiosk, web"
        ),
        (
            "/v1/index.csv?unit=875&year=2024&channel=postal",
            "channel: 'postal' is not a response channel: one of desk, kiosk, web"
        ),
        (
            "/v1/index/compare?unit=875&year1=2024&year2=2025&channel=online",
            "channel: 'online' is not a response channel"
        ),
        (
            "/v1/export/responses.csv?unit=875&year=2024&channel=kiosk",
            "channel: is not a parameter of /v1/export/responses.csv, which takes unit, from, to, year, survey"
        ),
        ("/v1/export/responses.csv?unit=875&year=2024&desk=1", "desk: is not a parameter of /v1/export/responses.csv"),
        ("/v1/export/responses.csv?unit=875&year=2024&survey=sipass", "survey: 'sipass' is not a published survey"),
        (
            "/v1/timeliness?unit=875&year=2024&groupBy=element",
            "groupBy: 'element' is not a breakdown of the timeliness figures: one of unit, procedure, month, channel"
        ),
        (
            "/v1/index?unit=875&year=2024&groupBy=asOf",
            "groupBy: 'asOf' is not a breakdown of the index: one of element, item, unit"
        ),
        (
            "/v1/coverage?unit=875&year=2024&channel=online",
            "channel: is not a parameter of /v1/coverage, which takes unit, from, to, year"
        ),
        ("/v1/coverage?unit=875&year=2024&groupBy=unit", "groupBy: is not a parameter of /v1/coverage"),
        (
            "/v1/timeliness?unit=875&year=2024&survey=quick",
            "survey: is not a parameter of /v1/timeliness, which takes unit, from, to, year, asOf, groupBy, channel"
        ),
        (
            "/v1/timeliness?unit=875&year=2024&excludeFlagged=true",
            "excludeFlagged: is not a parameter of /v1/timeliness"
        ),
        (
            "/v1/export/responses.csv?unit=875&year=2024&groupBy=unit",
            "groupBy: is not a parameter of /v1/export/responses.csv"
        ),
        (
            "/v1/index/compare?unit=875&year1=2024&year2=2025&groupBy=unit",
            "groupBy: is not a parameter of /v1/index/compare"
        ),
        (
            "/v1/index?unit=875&year=2024&survey=sipass",
            "survey: 'sipass' is not a published survey: one of quick, sipas"
        ),
        ("/v1/index?unit=875&year=2024&surveyVersion=7", "surveyVersion: survey sipas has no version 7: one of 1"),
        ("/v1/index?unit=875&year=2024&excludeFlagged=yes", "excludeFlagged: 'yes' is not true or false"),
        ("/v1/flags?year=20x4", "year: '20x4' is not a year YYYY from 1900 to 9999"),
        ("/v1/flags?year=2024&limit=0", "limit: '0' is not a whole number from 1 to 10000"),
        (
            "/v1/flags?year=2024&channel=desk",
            "channel: is not a parameter of /v1/flags, which takes unit, from, to, year, limit"
        ),
        ("/v1/scorecard?unit=875&year=2024&ruleset=qd767", "ruleset: unknown rule set 'qd767' (known: "),
        (
            "/v1/scorecard?unit=875&year=2024&groupBy=unit",
            "groupBy: is not a parameter of /v1/scorecard, which takes unit, year, ruleset"
        ),
        ("/v1/audit?limit=0", "limit: '0' is not a whole number from 1 to 10000"),
        ("/v1/audit?since=2024", "since: '2024' is not an RFC 3339 date-time with offset"),
        // A repeated parameter: which value was meant cannot be known, so none wins.
        ("/v1/index?unit=875&year=2024&year=2025", "year: is given 2 times; give it once"),
        ("/v1/index?unit=875&unit=876&year=2024", "unit: is given 2 times; give it once"),
        ("/v1/index.csv?unit=875&year=2024&channel=web&channel=kiosk", "channel: is given 2 times"),
        ("/v1/index/compare?unit=875&year1=2024&year2=2025&year2=2023", "year2: is given 2 times"),
        ("/v1/index/compare?unit=875&year=2024&year=2023&year2=2025", "year: is given 2 times"),
        ("/v1/timeliness?unit=875&year=2024&asOf=2024-06-01&asOf=2024-07-01", "asOf: is given 2 times"),
        ("/v1/coverage?unit=875&from=2024-01-01&from=2024-02-01&to=2024-03-01", "from: is given 2 times"),
        ("/v1/flags?year=2024&limit=5&limit=6", "limit: is given 2 times"),
        ("/v1/scorecard?unit=875&year=2024&year=2024", "year: is given 2 times"),
        ("/v1/audit?limit=1&limit=2", "limit: is given 2 times"),
        ("/v1/export/responses.csv?unit=875&year=2024&survey=sipas&survey=quick", "survey: is given 2 times"),
        // Periods are read by one rule everywhere (Period.read): the same words, the same refusals.
        ("/v1/index?unit=875&from=2024-03-01&to=2024-02-01", "to: 2024-02-01 is before from 2024-03-01"),
        ("/v1/timeliness?unit=875&from=2024-03-01&to=2024-02-01", "to: 2024-02-01 is before from 2024-03-01"),
        ("/v1/flags?from=2024-03-01&to=2024-02-01", "to: 2024-02-01 is before from 2024-03-01"),
        ("/v1/index/compare?unit=875&year1=2024&from2=2025-03-01&to2=2025-01-01", "to2: 2025-01-01 is before from2"),
        ("/v1/timeliness?unit=875&year=2024&asOf=2024-02-30", "asOf: '2024-02-30' is not a date YYYY-MM-DD"),
        ("/v1/index?unit=875&year=10000", "year: '10000' is not a year YYYY from 1900 to 9999"),
        ("/v1/coverage?unit=875&from=2024-1-1", "from: '2024-1-1' is not a date YYYY-MM-DD"),
        (
            "/v1/index?unit=875&to=2023-01-01",
            "to: 2023-01-01 is before 2026-01-01, 1 January of this year (no from or year given)"
        ),
        (
            "/v1/index/compare?unit=875&year=2024&year1=2023&year2=2025",
            "year: the first period is given as year1 too; give one of year and year1"
        ),
    ]

    @Test("a word of another vocabulary, or a parameter the endpoint does not take, is a 422 listing what it accepts")
    func refused() async throws {
        try await Self.withFixture { fixture, client in
            for (uri, detail) in Self.refusals {
                let answer = try await client.get(uri, token: fixture.admin)
                #expect(answer.status == .unprocessableContent, "\(uri): \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(uri)")
                #expect(try answer.problem().detail.contains(detail), "\(uri): \(answer.text)")
            }
        }
    }
}
