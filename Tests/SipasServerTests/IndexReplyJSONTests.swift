import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// `GET /v1/index` writes its JSON by hand (``JSONText``) for speed; these hold it to the very bytes the reply's
/// `Encodable` conformance gives through the API's encoder, which the command line and the decoding tests use.
@Suite("The index reply's hand-written JSON equals the encoder's")
struct IndexReplyJSONTests {
    @Test("every breakdown, filters, excluded flags, unit versions with predecessors, withheld and empty figures")
    func sameBytes() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let env = fixture.env
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let service = AppServices.index(
                configuration: env.configuration, database: env.database,
                catalog: try await env.database.surveyCatalog(), units: UnitCache(database: env.database))
            var queries: [String] = []
            for groupBy in [nil] + Breakdown.all.map(\.name) {
                for period in ["year=2024", "from=2024-03-15&to=2024-05-20", "year=2025", "year=2023"] {
                    queries.append("unit=875&\(period)" + (groupBy.map { "&groupBy=\($0)" } ?? ""))
                }
            }
            queries += [
                "unit=875&year=2024&channel=kiosk&groupBy=procedure", "unit=875&year=2024&procedure=1.001",
                "unit=875&year=2024&desk=M%E1%BB%99t%20c%E1%BB%ADa%201&groupBy=month",
                "unit=875&year=2024&excludeFlagged=true&groupBy=unit", "unit=875&year=2024&surveyVersion=1",
                "unit=30172&year=2024&groupBy=month", "unit=82&from=2025-01-01&to=2025-12-31&groupBy=unit",
                "unit=30169&from=2024-01-01&to=2025-12-31&groupBy=quarter",
            ]
            for query in queries {
                let reply = try await client.get("/v1/index?\(query)", token: fixture.admin)
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/json; charset=utf-8")
                let report = try await service.report(Self.request(query), reader: .admin)
                let encoded = String(decoding: try APIJSON.encoder.encode(report), as: UTF8.self)
                #expect(reply.text == encoded, "\(query)")
            }
        }
    }

    @Test("two questionnaire versions: the version note and each version's items")
    func twoVersions() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        try env.publishDraftVersion2()
        let key = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        let configuration = env.configuration
        let database = env.database
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let first = (0..<10).map { _ in sipasResponse(answers: #"{"a1":5}"#) }
            let second = (0..<30).map { index in
                #"{"id":"\#(UUID().uuidString)","survey":"sipas","surveyVersion":2,"unit":"30172","channel":"desk","answers":{"tc01":\#(index < 15 ? 5 : 2)},"submittedAt":"2024-11-29T09:30:00+07:00"}"#
            }
            let batch = #"{"responses":[\#((first + second).joined(separator: ","))]}"#
            #expect(try await client.post("/v1/responses/batch", key: key, json: batch).status == .ok)
            let service = AppServices.index(
                configuration: configuration, database: database, catalog: try await database.surveyCatalog(),
                units: UnitCache(database: database))
            for query in ["unit=875&year=2024", "unit=875&year=2024&groupBy=unit", "unit=875&year=2024&groupBy=item"] {
                let reply = try await client.get("/v1/index?\(query)", token: admin)
                let report = try await service.report(Self.request(query), reader: .admin)
                #expect(report.versionNote != nil)
                #expect(reply.text == String(decoding: try APIJSON.encoder.encode(report), as: UTF8.self), "\(query)")
            }
        }
    }

    @Test("strings and numbers are escaped and printed as JSONEncoder does")
    func scalars() throws {
        let strings = [
            "", "Xã Tân Khánh Trung", "\"quoted\" \\ back/slash", "tab\tnew\nline\r\u{8}\u{C}",
            "\u{0}\u{1}\u{1F}\u{7F}",
            "emoji 🇻🇳 and 𝄞", "</script>",
        ]
        let numbers: [Double] = [0, -0.0, 100, 54.38, 0.01, 1e-5, 1e16, 123_456.78, -2.5, 0.1 + 0.2]
        for text in strings {
            var json = JSONText()
            json.string(text)
            #expect(
                String(decoding: json.bytes, as: UTF8.self)
                    == String(decoding: try APIJSON.encoder.encode(text), as: UTF8.self))
        }
        for number in numbers {
            var json = JSONText()
            json.number(number)
            #expect(
                String(decoding: json.bytes, as: UTF8.self)
                    == String(decoding: try APIJSON.encoder.encode(number), as: UTF8.self), "\(number)")
        }
    }

    /// The request a query string names, read as the route reads it.
    static func request(_ query: String) throws -> IndexRequest {
        let parameters = Dictionary(
            uniqueKeysWithValues: query.split(separator: "&").map {
                let pair = $0.split(separator: "=", maxSplits: 1).map {
                    String($0).removingPercentEncoding ?? String($0)
                }
                return (pair[0], pair[1])
            })
        let period: Period
        if let year = parameters["year"].flatMap(Int.init) {
            period = try #require(Period(year: year))
        } else {
            let from = try #require(LocalDate(parameters["from"] ?? ""))
            let to = try #require(LocalDate(parameters["to"] ?? ""))
            period = try #require(Period(from: from, to: to))
        }
        var request = IndexRequest(unit: try #require(parameters["unit"]), period: period)
        request.surveyVersion = parameters["surveyVersion"].flatMap(Int.init)
        request.procedure = parameters["procedure"]
        request.channel = parameters["channel"].flatMap(ResponseChannel.init(rawValue:))
        request.desk = parameters["desk"]
        request.groupBy = parameters["groupBy"].flatMap(Breakdown.init(rawValue:))
        request.excludeFlagged = parameters["excludeFlagged"] == "true"
        return request
    }
}
