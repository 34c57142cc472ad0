import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// The communes of the 2025 reform, with the real sample units (`Deploy/sample/units.csv`, NQ 1663/NQ-UBTVQH15):
/// Xã Mỹ An Hưng (30178) is Tân Mỹ, Hội An Đông, Mỹ An Hưng A and Mỹ An Hưng B; the fixture has 40 responses of
/// Mỹ An Hưng A (30172) and 12 of Thị trấn Lấp Vò (old 30169) in 2024.
@Suite("Communes across the 2025 reform")
struct SuccessionTests {
    @Test("a new commune's 2024 figure is its predecessors' combined, and says so; its official may read them")
    func newCommune() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        // Issued in January 2026: the token is for the new commune, 30178@2025-07-01.
        let official = try await fixture.env.database.addToken(
            role: .official, unit: "30178", label: "UBND xã Mỹ An Hưng", now: IndexFixture.now
        ).key
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/index?unit=30178&year=2024&groupBy=unit", token: official)
                .decode(IndexController.Reply.self)
            #expect(json.respondents == 40)
            #expect(json.unitName == "Xã Mỹ An Hưng")
            let version = try #require(json.unitVersion)
            #expect(version.validFrom == "2025-07-01")
            #expect(
                version.predecessors.map(\.name) == [
                    "Xã Tân Mỹ", "Xã Hội An Đông", "Xã Mỹ An Hưng A", "Xã Mỹ An Hưng B",
                ])
            #expect(version.note?.contains("Điều 1 khoản 29") == true)
            let groups = json.groups
            let mahA = groups.first { $0.key == "30172@2004-01-01" }
            #expect(mahA?.label == "Xã Mỹ An Hưng A (đến 30/06/2025)" && mahA?.figures?.respondents == 40)
            #expect(groups.count == 4)

            // A predecessor on its own is theirs too; a commune that is not is not.
            #expect(
                try await client.get("/v1/index?unit=30172&year=2024", token: official)
                    .decode(IndexController.Reply.self).respondents == 40)
            #expect(try await client.get("/v1/index?unit=30169&year=2024", token: official).status == .forbidden)
            let export = try await client.get("/v1/export/responses.csv?unit=30178&year=2024", token: official)
            let rows = export.text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
            #expect(export.status == .ok && rows.count == 41, "\(export.status) \(rows.count)")
            let records = try CSVReader.records(export.text)
            let header = try #require(records.first?.fields)
            let column = try #require(header.firstIndex(of: "unitValidFrom"))
            #expect(records.dropFirst().allSatisfy { $0.fields[column] == "2004-01-01" })

            // The dashboard says it too.
            let signin = try await client.page("/dashboard")
            let csrf = try #require(signin.hidden("csrf"))
            let opened = try await client.form(
                "/dashboard/signin", [("csrf", csrf), ("token", official)], cookies: ["sipas_csrf": csrf])
            let session = try #require(opened.cookie("sipas_session"))
            let page = try await client.page("/dashboard?unit=30178&year=2024", cookies: ["sipas_session": session])
            #expect(page.status == .ok && page.text.contains("trước khi Xã Mỹ An Hưng được thành lập (01/07/2025)"))

            // The same territory in 2024 and 2025, said so.
            let compare = try await client.get("/v1/index/compare?unit=30178&year1=2024&year2=2025", token: official)
                .decode(IndexController.Comparison.self)
            #expect(compare.sameTerritory == true)
            #expect(compare.first.respondents == 40)
        }
    }

    @Test("the old district's official keeps the old units: a reused code over 2024 is the old commune")
    func oldDistrict() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let old = try await client.get("/v1/index?unit=30169&year=2024", token: fixture.districtOfficial)
                .decode(IndexController.Reply.self)
            #expect(old.respondents == 12 && old.unitName == "Thị trấn Lấp Vò")
            #expect(old.unitVersion?.validFrom == "2004-01-01")
            // The new commune's 2024 figure is made of old communes that were the district's: it may read it, not 2026.
            let named = try await client.get(
                "/v1/index?unit=30169@2025-07-01&year=2024", token: fixture.districtOfficial)
            #expect(try named.decode(IndexController.Reply.self).respondents == 12)
            #expect(
                try await client.get("/v1/index?unit=30169@2025-07-01&year=2026", token: fixture.districtOfficial)
                    .status == .forbidden)
            // An admin names either version.
            let combined = try await client.get("/v1/index?unit=30169@2025-07-01&year=2024", token: fixture.admin)
                .decode(IndexController.Reply.self)
            #expect(combined.respondents == 12 && combined.unitName == "Xã Lấp Vò")
            #expect(
                try await client.get("/v1/index?unit=30169@2020-01-01&year=2024", token: fixture.admin).status
                    == .unprocessableContent)
            // A district report running past 1/7/2025 names the versions it counted, not the new communes that reuse their codes.
            let across = try await client.get(
                "/v1/index?unit=875&from=2024-01-01&to=2025-12-31&groupBy=unit", token: fixture.admin
            ).decode(IndexController.Reply.self)
            let labels = Dictionary(uniqueKeysWithValues: across.groups.map { ($0.key, $0.label) })
            #expect(labels["30184"] == "Xã Long Hưng A (đến 30/06/2025)")
            #expect(labels["30169"] == "Thị trấn Lấp Vò (đến 30/06/2025)")
            #expect(
                try await client.get("/v1/index?unit=30169@junk&year=2024", token: fixture.admin).status
                    == .unprocessableContent)
        }
    }

    @Test(
        "Xã Tân Khánh Trung (30184, the old Long Hưng A's code) reports its three predecessors for 2024, not Long Hưng A"
    )
    func reusedCode() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let official = try fixture.env.token(.official, unit: "30184@2025-07-01")
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/index?unit=30184&year=2024", token: official)
                .decode(IndexController.Reply.self)
            #expect(json.unitName == "Xã Tân Khánh Trung")
            let names = json.unitVersion?.predecessors.map(\.name)
            #expect(names == ["Xã Long Hưng A", "Xã Long Hưng B", "Xã Tân Khánh Trung"])
        }
    }

    @Test(
        "Xã Lai Vung's 2024 combines communes of two old districts (Định An, Định Yên of Lấp Vò; Tân Thành, Tân Phước of Lai Vung)"
    )
    func acrossDistricts() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let official = try fixture.env.token(.official, unit: "30226@2025-07-01")
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/index?unit=30226&year=2024&groupBy=unit", token: official)
                .decode(IndexController.Reply.self)
            let names = json.unitVersion?.predecessors.map(\.name)
            #expect(names == ["Xã Tân Thành", "Xã Tân Phước", "Xã Định An", "Xã Định Yên"])
            #expect(
                json.groups.map(\.key) == [
                    "30196@2004-01-01", "30199@2004-01-01", "30220@2004-01-01", "30226@2004-01-01",
                ])
            // Another Lai Vung commune is not theirs.
            #expect(try await client.get("/v1/index?unit=30169&year=2024", token: official).status == .forbidden)
        }
    }

    @Test("timeliness and the scorecard of a new commune over 2024 count its predecessors' dossiers")
    func timeliness() async throws {
        let (env, integration) = try DossiersAPITests.environment()
        defer { env.remove() }
        let official = try await env.database.addToken(
            role: .official, unit: "30178", label: "UBND xã Mỹ An Hưng", now: IndexFixture.now
        ).key
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let dossiers = [
                dossierJSON("M-1", unit: "30172"), dossierJSON("M-2", unit: "30175"), dossierJSON("M-3", unit: "30169"),
            ]
            #expect(
                try await client.post(
                    "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(dossiers.joined(separator: ","))]}"#
                ).status == .ok)
            let report = try await client.get("/v1/timeliness?unit=30178&year=2024", token: official)
                .decode(TimelinessController.Reply.self)
            #expect(report.counts.received == 2)
            #expect(report.unitVersion?.predecessors.count == 4)
            let card = try await client.get("/v1/scorecard?unit=30178&year=2024", token: official)
                .decode(TimelinessController.ScorecardReply.self)
            #expect(card.unitVersion?.note != nil)
            // The plan's 2023 scores are the district's: the commune's scorecard says they are another territory's.
            #expect(card.baselineSameTerritory == false)
            #expect(card.baselineNote?.contains("Huyện Lấp Vò (875@2004-01-01), không cùng địa bàn") == true)
        }
    }

    @Test("a score entered for an old commune is not the new commune's, whose scorecard has its own entries")
    func entriesByVersion() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let reference = try ReferenceData.load(
            calendarDirectory: fixture.env.configuration.calendarDirectory,
            scoringDirectory: fixture.env.configuration.scoringDirectory)
        _ = try await Reports.enterScore(
            database: fixture.env.database, reference: reference, unit: "30169", year: 2024, ruleSet: nil,
            criterion: "training-report",
            points: "0,45", evidence: "Báo cáo của thị trấn", actor: "test")
        let official = try fixture.env.token(.official, unit: "30169@2025-07-01")
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            func status(_ token: String, _ unit: String) async throws -> String? {
                let card = try await client.get("/v1/scorecard?unit=\(unit)&year=2024", token: token)
                    .decode(TimelinessController.ScorecardReply.self)
                return card.criteria.first { $0.id == "training-report" }?.status
            }
            #expect(try await status(fixture.admin, "30169") == "entered")  // Thị trấn Lấp Vò, 2024
            #expect(try await status(official, "30169") == "notEntered")  // Xã Lấp Vò, its predecessors combined
        }
    }

    @Test("a token names the unit version it was issued for")
    func tokenVersion() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let old = try env.database.addToken(
            role: .official, unit: "30169@2004-01-01", label: "old", now: IndexFixture.now
        ).token
        #expect(old.unitReference == "30169@2004-01-01")
        let current = try env.database.addToken(role: .official, unit: "30169", label: "new", now: IndexFixture.now)
            .token
        #expect(current.unitReference == "30169@2025-07-01")
        #expect(throws: OperatorError.self) {
            try env.database.addToken(role: .official, unit: "30169@2019-01-01", label: "x", now: IndexFixture.now)
        }
    }
}

@Suite("A commune formed from part of another")
struct PartialSuccessionTests {
    @Test(
        "a predecessor taken over in part is counted whole, marked partial, and a comparison says it is not the same territory"
    )
    func partial() async throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        let file = env.directory + "/units.csv"
        try """
        code,name,level,parent,validFrom,validTo,formedFrom,formedBy
        87,Tỉnh Đồng Tháp,province,,2004-01-01,2025-06-30,,
        875,Huyện Lấp Vò,district,87,2004-01-01,2025-06-30,,
        30172,Xã Mỹ An Hưng A,commune,875,2004-01-01,2025-06-30,,
        82,Tỉnh Đồng Tháp,province,,2025-07-01,,,
        30178,Xã Mỹ An Hưng,commune,82,2025-07-01,,30172:part,"Nghị quyết thử nghiệm, Điều 1"
        30184,Xã Tân Khánh Trung,commune,82,2025-07-01,,30172:part,"Nghị quyết thử nghiệm, Điều 2"
        """.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await env.database.importUnits(UnitsFile.rows(path: file))
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let json = try await client.get("/v1/index?unit=30178@2025-07-01&year=2024", token: admin)
                .decode(IndexController.Reply.self)
            let version = try #require(json.unitVersion)
            #expect(version.partial == true)
            #expect(version.note?.contains("Xã Mỹ An Hưng A (một phần)") == true)
            let compare = try await client.get(
                "/v1/index/compare?unit=30178@2025-07-01&year1=2024&year2=2026", token: admin
            ).decode(IndexController.Comparison.self)
            #expect(compare.sameTerritory == false && compare.territoryNote != nil)
        }
    }
}
