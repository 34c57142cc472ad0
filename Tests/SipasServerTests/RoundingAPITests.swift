import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("One rounding rule in every output")
struct RoundingAPITests {
    @Test("87 of 160 answers satisfied is 54,38 % in JSON, the text report, CSV and the dashboard's figures")
    func halfAwayFromZero() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let responses = (0..<160).map { index in sipasResponse(answers: #"{"a1":\#(index < 87 ? 5 : 2)}"#) }
            for part in stride(from: 0, to: 160, by: 80) {
                let batch = #"{"responses":[\#(responses[part..<part + 80].joined(separator: ","))]}"#
                #expect(try await client.post("/v1/responses/batch", key: key, json: batch).status == .ok)
            }
            let json = try await client.get("/v1/index?unit=875&year=2024", token: admin).object()
            #expect(json["respondents"] as? Int == 160)
            #expect((json["sipas"] as? [String: Any])?["value"] as? Double == 54.38)
            let item = (json["items"] as? [[String: Any]])?.first { $0["id"] as? String == "a1" }
            #expect(item?["value"] as? Double == 54.38 && item?["satisfied"] as? Int == 87 && item?["n"] as? Int == 160)
            let csv = try await client.get("/v1/index.csv?unit=875&year=2024", token: admin).text
            #expect(csv.contains(",54.38,"))
            #expect(!csv.contains("54.37"))
        }
        let table = try await Reports.index(
            database: env.database, unit: "875", from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!, survey: "sipas", groupBy: nil,
            format: .table)
        #expect(table.contains("54,38 %"))
        #expect(!table.contains("54,37"))
    }
}

@Suite("The index is named for what it measures")
struct IndexNameTests {
    @Test("the dashboard's texts use the domain's name and relation sentence, in both languages")
    func webTexts() async throws {
        let pages = try await WebPages.load(directory: TestEnvironment.repository.appendingPathComponent("Web").path)
        for language in ["vi", "en"] {
            let texts = pages.texts(language)
            #expect(texts["sipasIndex"] == (language == "vi" ? IndexName.title.vi : IndexName.title.en))
            #expect(texts["indexRelation"] == (language == "vi" ? IndexName.relation.vi : IndexName.relation.en))
        }
        let strings = try String(contentsOf: TestEnvironment.repository.appendingPathComponent("Web/strings.json"), encoding: .utf8)
        #expect(!strings.contains("Chỉ số SIPAS\"") && !strings.contains("SIPAS index\""))
    }

    @Test("the text report and CSV name the figure and say how it relates to the published SIPAS")
    func reports() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let table = try await Reports.index(
            database: fixture.env.database, unit: "875", from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!, survey: "sipas",
            groupBy: "unit", format: .table)
        #expect(table.contains(IndexName.title.vi) && table.contains("không phải Chỉ số SIPAS do Bộ Nội vụ công bố"))
        let csv = try await Reports.index(
            database: fixture.env.database, unit: "875", from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!, survey: "sipas",
            groupBy: nil, format: .csv)
        #expect(csv.contains(",sipas,sipas,\(IndexName.title.vi),"))
    }
}
