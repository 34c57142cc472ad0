import GRDB
import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// One dossier as JSON; procedure 1.004873 (xác nhận tình trạng hôn nhân) has a legal time of 3 working days.
func dossierJSON(
    _ code: String, unit: String = "30172", procedure: String = "1.004873",
    received: String = "2024-03-04T09:00:00+07:00",
    status: String = "in-progress", resolved: String? = nil, extra: String = ""
) -> String {
    let resolvedField = resolved.map { #","resolvedAt":"\#($0)""# } ?? ""
    return
        #"{"code":"\#(code)","procedure":"\#(procedure)","unit":"\#(unit)","channel":"direct","receivedAt":"\#(received)","status":"\#(status)"\#(resolvedField)\#(extra)}"#
}

@Suite("POST /v1/dossiers, timeliness and the scorecard")
struct DossiersAPITests {
    static func environment() throws -> (TestEnvironment, String) {
        let env = try TestEnvironment()
        try env.importProcedures()
        return (env, try env.token(.integration, unit: "875"))
    }

    static func statuses(_ response: TestResponse) throws -> [String] {
        try response.decode(DossiersController.Reply.self).results.map(\.status)
    }

    @Test("upserts by code: created with a computed due date, moved forward, unchanged, history rewrites refused")
    func upserts() async throws {
        let (env, integration) = try Self.environment()
        defer { env.remove() }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let first = try await client.post(
                "/v1/dossiers", key: integration,
                json: """
                    {"dossiers": [\(dossierJSON("A-1")), \(dossierJSON("A-2", procedure: "9.999999")), \(dossierJSON("A-3", unit: "876")), {"code": 7}]}
                    """)
            #expect(first.status == .ok)
            #expect(try Self.statuses(first) == ["created", "invalid", "invalid", "invalid"])
            let results = try first.decode(DossiersController.Reply.self).results
            #expect(results[1].errors?.first?.field == "procedure")
            #expect(results[2].detail?.contains("outside") == true)
            #expect(results[3].errors?.first?.field == "code")

            let forward = dossierJSON("A-1", status: "resolved", resolved: "2024-03-06T15:00:00+07:00")
            #expect(
                try Self.statuses(
                    await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(forward)]}"#)) == [
                        "updated"
                    ])
            #expect(
                try Self.statuses(
                    await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(forward)]}"#)) == [
                        "unchanged"
                    ])
            let back = try await client.post(
                "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(dossierJSON("A-1"))]}"#)
            #expect(try Self.statuses(back) == ["invalid"])
            #expect(
                try back.decode(DossiersController.Reply.self).results.first?.detail?.contains("back to in-progress")
                    == true)
            let moved = dossierJSON(
                "A-1", received: "2024-03-05T09:00:00+07:00", status: "resolved", resolved: "2024-03-06T15:00:00+07:00")
            #expect(
                try Self.statuses(
                    await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(moved)]}"#)) == [
                        "invalid"
                    ])
        }
        let stored = try await env.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT dueDate, status FROM dossier WHERE code = 'A-1'")
        }
        #expect(stored?["dueDate"] as String? == "2024-03-07")
        #expect(stored?["status"] as String? == "resolved")
        #expect(try env.database.dossierCount() == 1)
    }

    @Test("only integration and admin tokens push dossiers; at most 1,000 a request")
    func access() async throws {
        let (env, integration) = try Self.environment()
        defer { env.remove() }
        let official = try env.token(.official, unit: "875")
        let device = try env.deviceKey()
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let body = #"{"dossiers":[\#(dossierJSON("B-1"))]}"#
            #expect(try await client.post("/v1/dossiers", key: official, json: body).status == .forbidden)
            #expect(try await client.post("/v1/dossiers", key: device, json: body).status == .forbidden)
            #expect(try await client.post("/v1/dossiers", key: nil, json: body).status == .unauthorized)
            let many = #"{"dossiers":["# + (0...1_000).map { dossierJSON("C-\($0)") }.joined(separator: ",") + "]}"
            #expect(try await client.post("/v1/dossiers", key: integration, json: many).status == .unprocessableContent)
            #expect(
                try await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[]}"#).status
                    == .unprocessableContent)
        }
    }

    @Test("timeliness counts and every rate with its numerator and denominator, as of a date")
    func timeliness() async throws {
        let (env, integration) = try Self.environment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            // Due 7/3/2024 (Monday + 3 working days): resolved on the 6th, 7th, 8th (apology) and 11th; one received
            // on 25/11 due 28/11 still in progress; one withdrawn.
            let set = [
                dossierJSON(
                    "T-1", status: "resolved", resolved: "2024-03-06T10:00:00+07:00", extra: #","digitised":true"#),
                dossierJSON(
                    "T-2", status: "returned",
                    resolved: "2024-03-07T16:59:00Z".replacingOccurrences(of: "16:59", with: "16:59")),
                dossierJSON(
                    "T-3", status: "resolved", resolved: "2024-03-08T10:00:00+07:00", extra: #","apologyIssued":true"#),
                dossierJSON("T-4", status: "resolved", resolved: "2024-03-11T10:00:00+07:00"),
                dossierJSON("T-5", received: "2024-11-25T09:00:00+07:00"),
                dossierJSON("T-6", status: "withdrawn"),
            ]
            let pushed = try await client.post(
                "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(set.joined(separator: ","))]}"#)
            #expect(try pushed.decode(DossiersController.Reply.self).created == 6)

            func report(_ asOf: String) async throws -> TimelinessController.Reply {
                try await client.get("/v1/timeliness?unit=875&year=2024&asOf=\(asOf)", token: admin)
                    .decode(TimelinessController.Reply.self)
            }
            let before = try await report("2024-11-27")
            let counts = before.counts
            #expect(counts.received == 5 && counts.resolved == 4 && counts.withdrawn == 1)
            // T-2 resolved at 23:59 local on the due date: on time.
            #expect(
                counts.early == 1 && counts.onTime == 1 && counts.late == 2 && counts.inProgressInTime == 1
                    && counts.overdue == 0)
            #expect(counts.lateWithoutApology == 1)
            let rates = before.rates
            #expect(rates.onTime.numerator == 2 && rates.onTime.denominator == 4)
            #expect(rates.onTime.value == 50 && rates.onTime.meetsGoal == false)
            #expect(rates.decision766.numerator == 3 && rates.decision766.denominator == 5)
            #expect(rates.decision766.points == 12)
            #expect(rates.digitisation.numerator == 1 && rates.digitisation.denominator == 5)
            #expect(rates.onTime.smallSample == true)

            let after = try await report("2024-11-29")
            #expect(after.counts.overdue == 1)
            #expect(after.counts.lateWithoutApology == 2)

            let byUnit = try await client.get(
                "/v1/timeliness?unit=875&year=2024&groupBy=unit&asOf=2024-11-27", token: admin
            ).decode(TimelinessController.Reply.self)
            // Every commune and the district's own desk is listed, as in the index; only 30172 received dossiers.
            let groups = byUnit.groups
            #expect(groups.count == 14)
            #expect(groups.filter { $0.counts.received > 0 }.map(\.key) == ["30172"])
            let official = try env.token(.official, unit: "30169")
            #expect(try await client.get("/v1/timeliness?unit=875&year=2024", token: official).status == .forbidden)
        }
    }

    @Test("a district set built to 98.33 % on time scores 2.95 of 3 in the default rule set")
    func scorecard() async throws {
        let (env, integration) = try Self.environment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            // 1.001612, đăng ký thành lập hộ kinh doanh (district, 3 working days): 59 on time, 1 late.
            let set = (0..<60).map { index in
                dossierJSON(
                    "S-\(index)", unit: "875", procedure: "1.001612", status: "resolved",
                    resolved: index == 0 ? "2024-03-12T10:00:00+07:00" : "2024-03-07T10:00:00+07:00")
            }
            #expect(
                try await client.post(
                    "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(set.joined(separator: ","))]}"#
                ).decode(DossiersController.Reply.self).created == 60)
            let card = try await client.get("/v1/scorecard?unit=875&year=2024", token: admin)
                .decode(TimelinessController.ScorecardReply.self)
            let criteria = card.criteria
            let district = try #require(criteria.first { $0.id == "ontime-district" })
            #expect(district.value == 98.33)
            #expect(district.baseline == 2.95 && district.gap == 0.05 && district.office == "Văn phòng HĐND và UBND")
            #expect(district.points == 2.95 && district.max == 3)
            #expect(district.numerator == 59 && district.denominator == 60)
            // Not scored yet: null, never left out (decoding requires the key).
            #expect(try #require(criteria.first { $0.id == "ontime-commune" }).points == nil)
            #expect(card.ruleSet.id == "seed-lap-vo-2024")
            #expect(card.baselineSameTerritory == true && card.baselineNote == nil)
            #expect(
                try await client.get("/v1/scorecard?unit=875&year=2024&ruleset=nope", token: admin).status
                    == .unprocessableContent)
        }
        let text = try await Reports.scorecard(
            database: env.database,
            reference: ReferenceData.load(
                calendarDirectory: env.configuration.calendarDirectory,
                scoringDirectory: env.configuration.scoringDirectory),
            unit: "875", year: 2024, ruleSet: nil, json: false)
        #expect(
            text.contains(
                "Tỷ lệ hồ sơ TTHC cấp huyện giải quyết đúng hạn: 98,33 % (59/60); 2,95/3 điểm; năm 2023: 2,95; còn thiếu 0,05"
            ))
        #expect(
            text.contains(
                "Báo cáo công tác đào tạo, bồi dưỡng cán bộ, công chức, viên chức: chưa nhập; —/0,5 điểm; năm 2023: 0,4"
            ))
    }

    @Test("satisfaction by dossier outcome, and coverage per resolved dossier")
    func outcomeAndCoverage() async throws {
        let (env, integration) = try Self.environment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        let device = try env.deviceKey(unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let set = [
                dossierJSON("O-1", status: "resolved", resolved: "2024-03-06T10:00:00+07:00"),
                dossierJSON("O-2", status: "resolved", resolved: "2024-03-11T10:00:00+07:00"),
            ]
            _ = try await client.post(
                "/v1/dossiers", key: integration, json: #"{"dossiers":[\#(set.joined(separator: ","))]}"#)
            let responses =
                (0..<12).map { index in
                    sipasResponse(extra: #","dossier":"O-\#(index < 6 ? 1 : 2)""#)
                } + [sipasResponse(extra: #","dossier":"X-9""#)]
            #expect(
                try await client.post(
                    "/v1/responses/batch", key: device, json: #"{"responses":[\#(responses.joined(separator: ","))]}"#
                ).decode(ResponsesController.BatchReply.self).created == 13)
            let json = try await client.get("/v1/index?unit=875&year=2024&groupBy=timeliness", token: admin)
                .decode(IndexController.Reply.self)
            let groups = json.groups
            #expect(groups.map(\.key) == ["early", "late", "unknownDossier"])
            // The one response naming an unknown dossier is withheld, and the first of the smallest others (early, 6)
            // is suppressed with it, or the total minus "late" would give it back.
            #expect(json.respondents == 13)
            #expect(groups.map { $0.figures?.respondents } == [nil, 6, nil])
            let early = groups.first?.figures?.sipas
            #expect(early?.withheld?.contains("complementary") == true)
            // The outcome groups share out the same respondents as the total, filters included: none came by kiosk.
            let kiosk = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=timeliness&channel=kiosk", token: admin
            ).decode(IndexController.Reply.self)
            #expect(kiosk.respondents == 0)
            #expect(kiosk.groups.isEmpty, "\(kiosk.groups.map(\.key))")
            let desk = try await client.get(
                "/v1/index?unit=875&year=2024&groupBy=timeliness&channel=desk", token: admin
            ).decode(IndexController.Reply.self)
            #expect(desk.respondents == 13)
            #expect(desk.groups.map(\.key) == ["early", "late", "unknownDossier"])

            let coverage = try await client.get("/v1/coverage?unit=875&year=2024", token: admin)
                .decode(CoverageReport.self)
            let commune = try #require(coverage.units.first { $0.unit == "30172" })
            #expect(commune.resolvedDossiers == 2 && commune.responses == 13)
            #expect(commune.responsesPerResolvedDossier == 6.5)
            #expect(commune.desks.first?.desk == "Một cửa 1")
        }
    }

    @Test("the dossiers file import: all or nothing with line numbers, then idempotent")
    func fileImport() async throws {
        let (env, _) = try Self.environment()
        defer { env.remove() }
        let reference = try ReferenceData.load(
            calendarDirectory: env.configuration.calendarDirectory, scoringDirectory: env.configuration.scoringDirectory
        )
        let file = env.directory + "/dossiers.csv"
        try """
        code,procedure,unit,channel,receivedAt,status,resolvedAt,apologyIssued
        F-1,1.004873,30172,direct,2024-03-04T09:00:00+07:00,resolved,2024-03-06T10:00:00+07:00,false
        F-2,1.004873,30172,direct,2024-03-04T09:00:00+07:00,resolved,,maybe
        """.write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try await ReferenceImports.dossiers(path: file, database: env.database, calendar: reference.calendar)
            Issue.record("accepted")
        } catch let refused as ImportRefused {
            #expect(refused.problems.map(\.line) == [3])
            #expect(refused.problems.first?.message.contains("apologyIssued") == true)
        }
        #expect(try env.database.dossierCount() == 0)

        let sample = TestEnvironment.repository.appendingPathComponent("Deploy/sample/dossiers.csv").path
        let first = try await ReferenceImports.dossiers(
            path: sample, database: env.database, calendar: reference.calendar)
        #expect(first.created > 1_000 && first.updated == 0)
        let again = try await ReferenceImports.dossiers(
            path: sample, database: env.database, calendar: reference.calendar)
        #expect(again == ImportSummary(unchanged: first.created))
    }
}
