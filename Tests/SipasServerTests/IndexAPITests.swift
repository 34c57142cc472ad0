import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("GET /v1/index and the exports")
struct IndexAPITests {
    @Test("the API's figures equal a recomputation from the raw responses (whole year, partial months, a filter)")
    func matchesRawResponses() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let district = try await fixture.unitIDs(["875", "30169", "30172"])
        let cases: [(String, String, String, String)] = [
            ("/v1/index?unit=875&from=2024-01-01&to=2024-12-31", "2024-01-01", "2024-12-31", ""),
            ("/v1/index?unit=875&from=2024-03-15&to=2024-07-10", "2024-03-15", "2024-07-10", ""),
            ("/v1/index?unit=875&year=2024&channel=kiosk", "2024-01-01", "2024-12-31", "AND r.channel = 'kiosk'"),
            ("/v1/index?unit=875&year=2024&procedure=1.001", "2024-01-01", "2024-12-31", "AND r.procedure = '1.001'"),
        ]
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            for (uri, from, to, extra) in cases {
                let response = try await client.get(uri, token: fixture.admin)
                #expect(response.status == .ok, "\(uri): \(response.text)")
                let json = try response.decode(IndexController.Reply.self)
                let expected = try await fixture.recompute(unitIDs: district, from: from, to: to, extra: extra)
                #expect(json.respondents == expected.respondents, "\(uri)")
                #expect(
                    json.sipas.value == Rounding.double(expected.sipas, places: 2),
                    "\(uri): \(String(describing: json.sipas.value)) vs \(expected.sipas)")
                for element in json.elements {
                    #expect(
                        element.value == Rounding.double(expected.elements[element.id] ?? -2, places: 2),
                        "\(uri) \(element.id)")
                }
                for item in json.items where item.withheld == nil {
                    #expect(
                        item.value == Rounding.double(expected.items[item.id] ?? -2, places: 2), "\(uri) \(item.id)")
                }
            }
        }
    }

    @Test(
        "a district pools its own desks and its communes; groupBy=unit shows each, withholding the small one and another"
    )
    func hierarchy() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=unit", token: fixture.districtOfficial
            ).decode(IndexController.Reply.self)
            #expect(json.respondents == 55)
            let groups = json.groups
            // Every commune of the district appears, those without any response too, so a gap is visible.
            #expect(groups.count == 14)
            var respondents: [String: Int] = [:]
            for group in groups { respondents[group.key] = group.figures?.respondents }
            // The district's own desk (3) is withheld, and the smallest other group (30169, 12) with it, n included,
            // so that the total minus the published groups does not give the withheld one back.
            #expect(respondents["30172"] == 40 && respondents["30169"] == nil && respondents["875"] == nil)
            let published = respondents.values.reduce(0, +)
            #expect(55 - published == 3 + 12)
            #expect(groups.last?.label == "Huyện Lấp Vò (trực tiếp)")
            // Withheld figures are null, never left out: decoding requires their keys.
            let own = try #require(groups.last?.figures?.sipas)
            #expect(own.value == nil)
            #expect(own.withheld?.contains("privacy") == true)
            #expect(own.n == nil)
            let kiosk = try #require(groups.first?.figures?.sipas)
            #expect(kiosk.value == nil && kiosk.n == nil)
            #expect(kiosk.withheld?.contains("complementary suppression") == true)
        }
    }

    @Test(
        "unit versions across 1/7/2025: the district keeps its 2024 responses, the reused code counts under the new province"
    )
    func unitVersions() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let district = try await client.get(
                "/v1/index?unit=875&from=2024-01-01&to=2025-12-31", token: fixture.admin
            ).decode(IndexController.Reply.self)
            #expect(district.respondents == 55)
            let commune = try await client.get(
                "/v1/index?unit=30169&from=2024-01-01&to=2025-12-31&groupBy=year", token: fixture.admin
            ).decode(IndexController.Reply.self)
            #expect(commune.respondents == 22)
            let province = try await client.get("/v1/index?unit=82&year=2025&groupBy=unit", token: fixture.admin)
                .decode(IndexController.Reply.self)
            #expect(province.respondents == 10)
            let groups = province.groups
            #expect(groups.map(\.key) == ["30169", "30178", "30184", "30226", "82"])
            #expect(groups.first?.figures?.respondents == 10)
        }
    }

    @Test(
        "an official sees their unit and what is under it, nothing else: not directly, not through groupBy, not by export"
    )
    func access() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let commune = fixture.communeOfficial
            #expect(try await client.get("/v1/index?unit=30172&year=2024", token: commune).status == .ok)
            let sibling = try await client.get("/v1/index?unit=30169&year=2024", token: commune)
            #expect(sibling.status == .forbidden)
            #expect(sibling.headers[.contentType] == "application/problem+json")
            #expect(
                try await client.get("/v1/index?unit=875&year=2024&groupBy=unit", token: commune).status == .forbidden)
            #expect(try await client.get("/v1/index.csv?unit=30169&year=2024", token: commune).status == .forbidden)
            #expect(
                try await client.get("/v1/export/responses.csv?unit=30169&year=2024", token: commune).status
                    == .forbidden)
            #expect(
                try await client.get("/v1/index/compare?unit=30169&year1=2024&year2=2025", token: commune).status
                    == .forbidden)
            // The district official does not see the new province either.
            #expect(
                try await client.get("/v1/index?unit=82&year=2025", token: fixture.districtOfficial).status
                    == .forbidden)
            #expect(try await client.get("/v1/index?unit=82&year=2025", token: fixture.admin).status == .ok)
            #expect(try await client.get("/v1/index?unit=875&year=2024", token: fixture.deviceKey).status == .forbidden)
            #expect(try await client.get("/v1/index?unit=875&year=2024", token: nil).status == .unauthorized)
            // A second opening of the file, on purpose: `sipas token revoke` is another process, and the running
            // server must see its change.
            let cli = try SQLiteDatabase(path: fixture.env.configuration.databasePath)
            let id = try #require(try cli.tokens().first { $0.unit == "30172" }?.id)
            #expect(try cli.revokeToken(id: id, now: IndexFixture.now))
            #expect(try await client.get("/v1/index?unit=30172&year=2024", token: commune).status == .unauthorized)
        }
    }

    @Test("breakdowns by month, quarter, year, channel, element and item")
    func breakdowns() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            func keys(_ groupBy: String) async throws -> [String] {
                let json = try await client.get("/v1/index?unit=875&year=2024&groupBy=\(groupBy)", token: fixture.admin)
                    .decode(IndexController.Reply.self)
                return json.groups.map(\.key)
            }
            #expect(try await keys("month") == (1...12).map { String(format: "2024-%02d", $0) })
            #expect(try await keys("quarter") == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"])
            #expect(try await keys("year") == ["2024"])
            #expect(try await keys("channel") == ["desk", "kiosk"])
            #expect(try await keys("element") == ["access", "procedure", "staff", "result", "feedback"])
            #expect(try await keys("item").count == 19)
            #expect(try await keys("procedure") == ["1.000", "1.001", "1.002"])
        }
    }

    @Test("bad parameters are 422 naming them")
    func badParameters() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            for (uri, field) in [
                ("/v1/index?year=2024", "unit"), ("/v1/index?unit=875&groupBy=weekday", "groupBy"),
                ("/v1/index?unit=875&from=2024-02-30", "from"),
                ("/v1/index?unit=99999&year=2024", "unit"), ("/v1/index?unit=875&from=2024-05-01&to=2024-04-01", "to"),
                ("/v1/index?unit=875&year=2024&survey=nope", "survey"),
                ("/v1/index/compare?unit=875&year1=2024", "from2"),
            ] {
                let response = try await client.get(uri, token: fixture.admin)
                #expect(response.status == .unprocessableContent, "\(uri)")
                #expect(try response.problem().errors?.first?.field == field, "\(uri): \(response.text)")
            }
        }
    }

    @Test("two periods compared: both sets of figures, the differences and their significance")
    func compare() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let response = try await client.get(
                "/v1/index/compare?unit=875&from1=2024-01-01&to1=2024-06-30&from2=2024-07-01&to2=2024-12-31",
                token: fixture.admin)
            #expect(response.status == .ok)
            let json = try response.decode(IndexController.Comparison.self)
            let changes = json.changes
            let sipas = changes.sipas
            let a = try #require(json.first.sipas.value)
            let b = try #require(json.second.sipas.value)
            // The difference of the exact figures, rounded once: within a hundredth of the printed figures' difference.
            #expect(abs((sipas.difference ?? 0) - (b - a)) <= 0.01 + 1e-9)
            #expect(sipas.significant != nil)
            #expect(changes.items.count == 19)
            #expect(changes.items.first?.test.contains("z-test") == true)
        }
    }

    @Test(
        "CSV: the index by Accept or .csv path, the responses with a column per item; comments for admins only, neutralised"
    )
    func csv() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let byAccept = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=unit", token: fixture.admin, accept: "text/csv")
            let byPath = try await client.get("/v1/index.csv?unit=875&year=2024&groupBy=unit", token: fixture.admin)
            #expect(byAccept.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(byAccept.text == byPath.text)
            #expect(byAccept.text.hasPrefix("\u{FEFF}group,groupLabel,figure,id,label,value"))
            #expect(byAccept.text.contains("Huyện Lấp Vò (trực tiếp)"))

            let admin = try await client.get("/v1/export/responses.csv?unit=875&year=2024", token: fixture.admin)
            let records = try CSVReader.records(admin.text)
            let header = try #require(records.first?.fields)
            #expect(
                header.contains("a1") && header.contains("f3") && header.contains("comment")
                    && header.contains("dossier"))
            #expect(records.count == 56)
            let comments = records.dropFirst().map { $0.fields[header.firstIndex(of: "comment")!] }.filter {
                !$0.isEmpty
            }
            #expect(comments.count == 12)
            #expect(comments.allSatisfy { $0 == "'=HYPERLINK(\"x\")" })

            let official = try await client.get(
                "/v1/export/responses.csv?unit=875&year=2024", token: fixture.districtOfficial)
            let officialHeader = try #require(try CSVReader.records(official.text).first?.fields)
            #expect(!officialHeader.contains("comment") && !officialHeader.contains("dossier"))
            // Three responses at the district's own desk: fewer than the privacy minimum, so no rows for an official.
            let env = fixture.env
            #expect(try await env.database.responseCount() == 65)
        }
    }
}
