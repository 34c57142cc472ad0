import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// District 875 in 2024 with a commune too small to publish: Thị trấn Lấp Vò (30169) has 3 respondents, Xã Mỹ An
/// Hưng B (30178) 12, Xã Long Hưng A (30184) 25 and Xã Mỹ An Hưng A (30172) 40; 80 in all. Every response answers
/// every item, so an item's n is its group's respondents. By procedure: 1.002 has 3 responses, 1.003 has 9, 1.001
/// the other 68. By channel: 3 by kiosk, 77 at the desk.
struct SmallCellFixture: Sendable {
    let env: TestEnvironment
    let admin: String
    let official: String
    /// The device's key and the batch of 80 responses, posted by ``withApp(_:)``.
    private let key: String
    private let batch: String

    static let items = [
        "a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5", "r1", "r2", "r3", "f1", "f2",
        "f3",
    ]

    /// `count` responses of `unit`, every item answered, by procedure and channel as `place` says for each index.
    static func responses(_ count: Int, unit: String, start: Int, place: (Int) -> (procedure: String, channel: String))
        -> [String]
    {
        (0..<count).map { offset in
            let index = start + offset
            let answers = items.enumerated().map { "\"\($1)\":\(1 + (index * 7 + $0) % 5)" }.joined(separator: ",")
            let (procedure, channel) = place(offset)
            let date = String(format: "2024-%02d-%02dT09:%02d:00+07:00", 1 + index % 10, 1 + index % 28, index % 60)
            return #"{"id":"\#(UUID().uuidString.lowercased())","survey":"sipas","surveyVersion":1,"unit":"\#(unit)","#
                + #""channel":"\#(channel)","procedure":"\#(procedure)","answers":{\#(answers)},"#
                + #""expectations":["shorter-time"],"submittedAt":"\#(date)"}"#
        }
    }

    /// The environment, its tokens and device, and the batch to post.
    init() throws {
        let env = try TestEnvironment()
        self.env = env
        admin = try env.token(.admin, unit: nil)
        official = try env.token(.official, unit: "875")
        key = try env.deviceKey(unit: "875")
        let desk = { (_: Int) in (procedure: "1.001", channel: "desk") }
        let all =
            Self.responses(3, unit: "30169", start: 0, place: desk)
            + Self.responses(40, unit: "30172", start: 3) { $0 < 3 ? ("1.002", "kiosk") : ("1.001", "desk") }
            + Self.responses(12, unit: "30178", start: 43, place: desk)
            + Self.responses(25, unit: "30184", start: 55) { $0 < 9 ? ("1.003", "desk") : ("1.001", "desk") }
        batch = #"{"responses":[\#(all.joined(separator: ","))]}"#
    }

    /// Builds the app once, posts the batch through its API, then runs `body` against the same app; once a test.
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let (key, batch) = (self.key, self.batch)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let stored = try await client.post("/v1/responses/batch", key: key, json: batch)
            #expect(try stored.decode(ResponsesController.BatchReply.self).created == 80, "\(stored.text)")
            try await body(client)
        }
    }
}

@Suite("A withheld figure cannot be subtracted back (complementary suppression)")
struct SuppressionTests {
    /// The groups of an index answer by key, each with its set of figures.
    static func groups(_ json: IndexController.Reply) -> [String: IndexController.Reply.Figures] {
        var groups: [String: IndexController.Reply.Figures] = [:]
        for group in json.groups { groups[group.key] = group.figures }
        return groups
    }

    /// Every figure of a group (overall, elements, items) has no value and no n, and says `reason`. The reply's
    /// type requires these keys (``ExplicitNull``): a suppressed figure says null, it never leaves a field out.
    static func expectSuppressed(
        _ group: IndexController.Reply.Figures?, reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let group else {
            Issue.record("no such group", sourceLocation: sourceLocation)
            return
        }
        #expect(group.respondents == nil, sourceLocation: sourceLocation)
        typealias Figure = (id: String, value: Double?, n: Int?, ci95: [Double]?, withheld: String?)
        let figures: [Figure] =
            [("sipas", group.sipas.value, group.sipas.n, group.sipas.ci95, group.sipas.withheld)]
            + group.elements.map { ($0.id, $0.value, $0.n, $0.ci95, $0.withheld) }
            + group.items.map { ($0.id, $0.value, $0.n, $0.ci95, $0.withheld) }
        #expect(figures.count == 1 + 5 + 19, sourceLocation: sourceLocation)
        for figure in figures {
            #expect(
                figure.value == nil && figure.n == nil && figure.ci95 == nil, "\(figure)",
                sourceLocation: sourceLocation)
            #expect(figure.withheld?.contains(reason) == true, "\(figure)", sourceLocation: sourceLocation)
        }
        for item in group.items {
            #expect(item.satisfied == nil && item.meanScore == nil, "\(item.id)", sourceLocation: sourceLocation)
        }
        for element in group.elements {
            #expect(element.meanScore == nil, "\(element.id)", sourceLocation: sourceLocation)
        }
        for share in group.expectations {
            #expect(share.count == nil && share.share == nil, "\(share.id)", sourceLocation: sourceLocation)
        }
        for warning in group.warnings {
            #expect(warning.n == nil, "\(warning.figure)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "groupBy=unit: commune 30169 (3) is withheld and exactly one other, the smallest (30178, 12), is suppressed whole"
    )
    func byUnit() async throws {
        let fixture = try SmallCellFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/index?unit=875&year=2024&groupBy=unit", token: fixture.official)
                .decode(IndexController.Reply.self)
            #expect(json.respondents == 80)
            let groups = Self.groups(json)
            Self.expectSuppressed(groups["30169"], reason: "privacy minimum")
            Self.expectSuppressed(groups["30178"], reason: "complementary suppression")
            #expect(groups["30178"]?.warnings.allSatisfy { $0.code == "suppressed" } == true)
            // Exactly these two; the others are published whole.
            let hidden = groups.filter { $0.value.respondents == nil }.keys.sorted()
            #expect(hidden == ["30169", "30178"])
            #expect(groups["30172"]?.respondents == 40 && groups["30184"]?.respondents == 25)
            #expect(groups["30172"]?.sipas.value != nil)
            // The total minus the published cells is 30169 and 30178 together, never 30169 alone.
            let published = groups.values.compactMap(\.respondents).reduce(0, +)
            #expect(80 - published == 15)
            func item(_ items: [IndexController.Reply.Item], _ id: String) -> IndexController.Reply.Item? {
                items.first { $0.id == id }
            }
            for id in SmallCellFixture.items {
                let total = try #require(item(json.items, id)?.n),
                    visible = groups.values.compactMap { item($0.items, id)?.n }.reduce(0, +)
                #expect(total - visible == 15, "\(id)")
                let satisfiedTotal = try #require(item(json.items, id)?.satisfied)
                #expect(satisfiedTotal >= groups.values.compactMap { item($0.items, id)?.satisfied }.reduce(0, +))
            }
        }
    }

    @Test("the same suppression in the CSV, the text report, the dashboard and its print page")
    func everyOutput() async throws {
        let fixture = try SmallCellFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let csv = try CSVReader.records(
                try await client.get("/v1/index.csv?unit=875&year=2024&groupBy=unit", token: fixture.official).text)
            let header = try #require(csv.first?.fields)
            let group = try #require(header.firstIndex(of: "group")), n = try #require(header.firstIndex(of: "n"))
            let value = try #require(header.firstIndex(of: "value")),
                withheld = try #require(header.firstIndex(of: "withheld"))
            let small = csv.dropFirst().filter { $0.fields[group] == "30169" },
                complement = csv.dropFirst().filter { $0.fields[group] == "30178" }
            // The overall index, 5 elements, 19 items and 9 expectation options.
            #expect(small.count == 1 + 5 + 19 + 9 && complement.count == small.count)
            #expect(
                small.allSatisfy { $0.fields[n].isEmpty && $0.fields[value].isEmpty && !$0.fields[withheld].isEmpty })
            #expect(
                complement.allSatisfy {
                    $0.fields[n].isEmpty && $0.fields[value].isEmpty && $0.fields[withheld].contains("complementary")
                })
            #expect(
                csv.dropFirst().filter { $0.fields[group] == "30172" && $0.fields[3] == "sipas" }.first?.fields[n]
                    == "40")

            let signin = try await client.page("/dashboard")
            let csrf = try #require(signin.hidden("csrf"))
            let opened = try await client.form(
                "/dashboard/signin", [("csrf", csrf), ("token", fixture.official)], cookies: ["sipas_csrf": csrf])
            let session = try #require(opened.cookie("sipas_session"))
            for path in ["/dashboard", "/dashboard/print"] {
                let page = try await client.page("\(path)?unit=875&year=2024", cookies: ["sipas_session": session]).text
                #expect(
                    page.contains("<tr><td>Thị trấn Lấp Vò</td><td>—</td><td class=\"withheld\">—</td></tr>"), "\(path)"
                )
                #expect(
                    page.contains("<tr><td>Xã Mỹ An Hưng B</td><td>×</td><td class=\"withheld\">×</td></tr>"), "\(path)"
                )
                #expect(page.contains("<tr><td>Xã Mỹ An Hưng A</td><td>40</td>"), "\(path)")
                #expect(page.contains("× (ẩn bổ sung)"), "\(path): the units chart says why")
            }
        }
        let table = try await Reports.index(
            database: fixture.env.database, unit: "875", period: Period(year: 2024)!,
            survey: "sipas", groupBy: "unit", format: .table)
        let sections = table.components(separatedBy: "\n— ")
        let small = try #require(sections.first { $0.hasPrefix("Thị trấn Lấp Vò (30169)") })
        let complement = try #require(sections.first { $0.hasPrefix("Xã Mỹ An Hưng B (30178)") })
        #expect(small.contains("Số người trả lời") && !small.contains(" 3\n") && !small.contains(" 3 "))
        #expect(complement.contains("×") && !complement.contains("12"))
        #expect(table.contains("× ẩn bổ sung"))
    }

    @Test("an official's export leaves out the withheld commune's rows and its complement's; an admin's has them all")
    func export() async throws {
        let fixture = try SmallCellFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            func units(_ text: String) throws -> [String: Int] {
                let records = try CSVReader.records(text)
                let column = try #require(records.first?.fields.firstIndex(of: "unit"))
                return records.dropFirst().reduce(into: [:]) { $0[$1.fields[column], default: 0] += 1 }
            }
            let official = try await client.get("/v1/export/responses.csv?unit=875&year=2024", token: fixture.official)
            #expect(official.status == .ok)
            #expect(try units(official.text) == ["30172": 40, "30184": 25])
            #expect(official.headers[ExportController.withheldUnitsHeader] == "30169@2004-01-01")
            #expect(official.headers[ExportController.suppressedUnitsHeader] == "30178@2004-01-01")
            let admin = try await client.get("/v1/export/responses.csv?unit=875&year=2024", token: fixture.admin)
            #expect(try units(admin.text) == ["30169": 3, "30172": 40, "30178": 12, "30184": 25])
            #expect(admin.headers[ExportController.withheldUnitsHeader] == nil)
            // The commune alone is under the minimum: no export at all for an official.
            let alone = try await client.get("/v1/export/responses.csv?unit=30169&year=2024", token: fixture.official)
            #expect(alone.status == .forbidden)
        }
    }

    @Test(
        "groupBy=procedure: 1.002 (3) is withheld and 1.003 (9) suppressed; groupBy=channel: kiosk (3) and desk, the total stays"
    )
    func otherBreakdowns() async throws {
        let fixture = try SmallCellFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let byProcedure = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=procedure", token: fixture.official
            ).decode(IndexController.Reply.self)
            let procedures = Self.groups(byProcedure)
            #expect(procedures.keys.sorted() == ["1.001", "1.002", "1.003"])
            Self.expectSuppressed(procedures["1.002"], reason: "privacy minimum")
            Self.expectSuppressed(procedures["1.003"], reason: "complementary suppression")
            #expect(procedures["1.001"]?.respondents == 68)
            #expect(byProcedure.respondents == 80)

            let byChannel = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=channel", token: fixture.official
            ).decode(IndexController.Reply.self)
            let channels = Self.groups(byChannel)
            Self.expectSuppressed(channels["kiosk"], reason: "privacy minimum")
            Self.expectSuppressed(channels["desk"], reason: "complementary suppression")
            #expect(byChannel.respondents == 80 && byChannel.sipas.value != nil)
        }
    }
}
