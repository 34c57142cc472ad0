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
            let json = try await client.get("/v1/index?unit=875&year=2024", token: admin)
                .decode(IndexController.Reply.self)
            #expect(json.respondents == 160)
            #expect(json.sipas.value == 54.38)
            let item = json.items.first { $0.id == "a1" }
            #expect(item?.value == 54.38 && item?.satisfied == 87 && item?.n == 160)
            let csv = try await client.get("/v1/index.csv?unit=875&year=2024", token: admin).text
            #expect(csv.contains(",54.38,"))
            #expect(!csv.contains("54.37"))
        }
        let table = try await Reports.index(
            database: env.database, unit: "875", period: Period(year: 2024)!,
            survey: "sipas", groupBy: nil,
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
        let strings = try String(
            contentsOf: TestEnvironment.repository.appendingPathComponent("Web/strings.json"), encoding: .utf8)
        #expect(!strings.contains("Chỉ số SIPAS\"") && !strings.contains("SIPAS index\""))
    }

    @Test("the text report and CSV name the figure and say how it relates to the published SIPAS")
    func reports() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        // The data set goes in through the app; the reports read it as `sipas report` does.
        try await fixture.withApp { _ in }
        let table = try await Reports.index(
            database: fixture.env.database, unit: "875", period: Period(year: 2024)!,
            survey: "sipas",
            groupBy: "unit", format: .table)
        #expect(table.contains(IndexName.title.vi) && table.contains("không phải Chỉ số SIPAS do Bộ Nội vụ công bố"))
        let csv = try await Reports.index(
            database: fixture.env.database, unit: "875", period: Period(year: 2024)!,
            survey: "sipas",
            groupBy: nil, format: .csv)
        #expect(csv.contains(",sipas,sipas,\(IndexName.title.vi),"))
    }
}

@Suite("Reports over two questionnaire versions")
struct QuestionnaireVersionsTests {
    @Test("a period with v1 and v2 responses combines them at element level and says so; items are per version")
    func combined() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        try env.publishDraftVersion2()
        let key = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            // v1: 10 respondents, a1 satisfied by all (access 100 %); v2: 30 respondents, tc01 by 15 (access 50 %).
            let first = (0..<10).map { _ in sipasResponse(answers: #"{"a1":5}"#) }
            let second = (0..<30).map { index in
                #"{"id":"\#(UUID().uuidString)","survey":"sipas","surveyVersion":2,"unit":"30172","channel":"desk","answers":{"tc01":\#(index < 15 ? 5 : 2)},"submittedAt":"2024-11-29T09:30:00+07:00"}"#
            }
            let batch = #"{"responses":[\#((first + second).joined(separator: ","))]}"#
            let stored = try await client.post("/v1/responses/batch", key: key, json: batch)
            #expect(stored.status == .ok, "\(stored.text)")
            let json = try await client.get("/v1/index?unit=875&year=2024", token: admin)
                .decode(IndexController.Reply.self)
            #expect(json.surveyVersions == [1, 2])
            #expect(json.versionNote?.contains("combine them") == true)
            let access = json.elements.first { $0.id == "access" }
            #expect(access?.value == 62.5 && access?.n == 40)  // (10 × 100 + 30 × 50) / 40
            let items = json.items
            #expect(items.first { $0.id == "a1" }?.surveyVersion == 1)
            #expect(items.first { $0.id == "tc01" }?.surveyVersion == 2)
            #expect(items.count == 19 + 22)
            let byUnit = try await client.get("/v1/index?unit=875&year=2024&groupBy=unit", token: admin)
                .decode(IndexController.Reply.self)
            let commune = byUnit.groups.first { $0.key == "30172" }
            #expect(commune?.figures?.elements.first { $0.id == "access" }?.value == 62.5)
            // A version asked for by number stays that version alone.
            let only = try await client.get("/v1/index?unit=875&year=2024&surveyVersion=2", token: admin)
                .decode(IndexController.Reply.self)
            #expect(only.surveyVersions == [2] && only.respondents == 30)
        }
        let table = try await Reports.index(
            database: env.database, unit: "875", period: Period(year: 2024)!,
            survey: "sipas", groupBy: nil,
            format: .table)
        #expect(table.contains("Kỳ báo cáo có phiếu của các phiên bản 1, 2"))
    }
}

extension TestEnvironment {
    /// The surveys as they would stand once the draft of SIPAS version 2 is published: v1 and v2 side by side.
    mutating func publishDraftVersion2() throws {
        let surveys = directory + "/surveys"
        try FileManager.default.createDirectory(atPath: surveys, withIntermediateDirectories: true)
        let repository = TestEnvironment.repository.appendingPathComponent("Surveys")
        for name in ["sipas.v1.json", "quick.v1.json"] {
            try FileManager.default.copyItem(
                atPath: repository.appendingPathComponent(name).path, toPath: surveys + "/" + name)
        }
        try FileManager.default.copyItem(
            atPath: repository.appendingPathComponent("drafts/sipas.v2.json").path, toPath: surveys + "/sipas.v2.json")
        configuration.surveysDirectory = surveys
    }
}
