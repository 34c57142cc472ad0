import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("The calendar never stops intake; the plan's scorecard with entered scores")
struct ScorecardAndCalendarTests {
    /// 30/11/2026 09:30 in Vietnam: 2027 has no holiday notice yet.
    static let today = Timestamp.parse("2026-11-30T09:30:00+07:00")!

    /// An environment "today", with the sample procedures and a 30-working-day procedure of its own.
    static func environment() throws -> TestEnvironment {
        var env = try TestEnvironment()
        env.configuration.now = { Self.today }
        try env.importProcedures()
        let file = env.directory + "/procedures-30.csv"
        try """
        code,name,field,level,legalDays,fullOnlineEligible,feeBearing
        9.000030,Thủ tục thử nghiệm ba mươi ngày làm việc,Thử nghiệm,commune,30,true,false
        """.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try ReferenceImports.procedures(path: file, database: env.database)
        return env
    }

    @Test("a dossier received today for a 30-working-day procedure is accepted with its computed, provisional due date")
    func provisionalDueDate() async throws {
        let env = try Self.environment()
        defer { env.remove() }
        let integration = try env.token(.integration, unit: "82")
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let reply = try await client.post(
                "/v1/dossiers", key: integration,
                json: """
                    {"dossiers":[\(dossierJSON("T-30", unit: "30169", procedure: "9.000030", received: "2026-11-30T09:30:00+07:00", status: "received"))]}
                    """)
            #expect(reply.status == .ok)
            let result = try #require(try reply.decode(DossiersController.Reply.self).results.first)
            #expect(result.status == "created")
            // Tue 1/12 is day 1; 1/1/2027 (computed Tết Dương lịch) is skipped; day 30 is Tue 12/1/2027.
            #expect(result.dueDate == "2027-01-12")
            #expect(result.dueDateBasis == "provisional")

            let timeliness = try await client.get("/v1/timeliness?unit=30169&year=2026", token: admin)
                .decode(TimelinessController.Reply.self)
            #expect(timeliness.counts.provisional == 1)
            let calendar = timeliness.calendar
            #expect(calendar.yearsWithoutNotice == [2027])
            #expect(calendar.provisionalDays.map(\.date.description) == ["2027-01-01"])
            #expect(calendar.rules.sameDayCutoff?.contains("Nghị định 23/2015/NĐ-CP, Điều 7") == true)
        }
    }

    @Test("a provisional due date is recounted at start-up when the year's notice is added")
    func recountedAtStart() async throws {
        let env = try Self.environment()
        defer { env.remove() }
        let integration = try env.token(.integration, unit: "82")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let dossier = dossierJSON(
                "T-11", unit: "30169", procedure: "9.000030", received: "2026-11-30T09:30:00+07:00", status: "received")
            #expect(
                try await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(dossier)]}"#).status
                    == .ok)
        }
        // A notice for 2027 that makes Monday 4/1/2027 a day off as well.
        let calendar = env.directory + "/calendar"
        try FileManager.default.createDirectory(atPath: calendar, withIntermediateDirectories: true)
        for name in ["rules.json", "2023.json", "2024.json", "2025.json", "2026.json"] {
            try FileManager.default.copyItem(
                atPath: env.configuration.calendarDirectory + "/" + name, toPath: calendar + "/" + name)
        }
        try """
        {"year": 2027, "source": "Thông báo thử nghiệm", "daysOff": [{"date": "2027-01-01", "name": "Tết Dương lịch"},
         {"date": "2027-01-04", "name": "Nghỉ thử nghiệm"}], "workingDays": []}
        """.write(toFile: calendar + "/2027.json", atomically: true, encoding: .utf8)
        // A second start is the point: provisional due dates are recounted when the app starts.
        var configuration = env.configuration
        configuration.calendarDirectory = calendar
        try await env.withApp(configuration) { _ in }
        let row = try await env.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT dueDate, dueDateBasis FROM dossier WHERE code = 'T-11'")
        }
        #expect(row?["dueDate"] as String? == "2027-01-13")
        #expect(row?["dueDateBasis"] as String? == "computed")
    }

    @Test(
        "the scorecard: entered criteria show as not entered until an admin enters them on the dashboard, with evidence and an audit entry"
    )
    func enteredScores() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let admin = try fixture.env.token(.admin, unit: nil)
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            func line(_ id: String) async throws -> TimelinessController.ScorecardReply.Line {
                let card = try await client.get("/v1/scorecard?unit=875&year=2024", token: fixture.districtOfficial)
                    .decode(TimelinessController.ScorecardReply.self)
                return try #require(card.criteria.first { $0.id == id })
            }
            // Not entered yet: points null, never left out (decoding requires the key).
            let before = try await line("training-report")
            #expect(before.status == "notEntered" && before.points == nil && before.baseline == 0.4)

            let signin = try await client.page("/dashboard")
            let csrf = try #require(signin.hidden("csrf"))
            let opened = try await client.form(
                "/dashboard/signin", [("csrf", csrf), ("token", admin)], cookies: ["sipas_csrf": csrf])
            let session = try #require(opened.cookie("sipas_session"))
            let page = try await client.page("/dashboard?unit=875&year=2024", cookies: ["sipas_session": session])
            #expect(page.text.contains("action=\"/dashboard/scorecard?lang=vi\"") && page.text.contains("chưa nhập"))
            let sessionCSRF = try #require(page.hidden("csrf"))
            let fields = [
                ("unit", "875"), ("year", "2024"), ("criterion", "training-report"), ("points", "0,45"),
                ("evidence", "Báo cáo 12/BC-UBND ngày 10/12/2024"),
            ]
            #expect(
                try await client.form(
                    "/dashboard/scorecard", [("csrf", "forged")] + fields, cookies: ["sipas_session": session]
                ).status == .forbidden)
            let stored = try await client.form(
                "/dashboard/scorecard", [("csrf", sessionCSRF)] + fields, cookies: ["sipas_session": session])
            #expect(stored.status == .seeOther)
            let tooMany = fields.map { $0.0 == "points" ? ("points", "0,6") : $0 }
            let refused = try await client.form(
                "/dashboard/scorecard", [("csrf", sessionCSRF)] + tooMany, cookies: ["sipas_session": session])
            // The page again, the error beside the form, what was typed kept.
            #expect(
                refused.status == .unprocessableContent && refused.headers[.contentType]?.hasPrefix("text/html") == true
            )
            #expect(
                refused.text.contains("0,6 is more than the criterion&#39;s maximum 0,5")
                    || refused.text.contains("0,6 is more than the criterion's maximum 0,5"))
            #expect(
                refused.text.contains("value=\"Báo cáo 12/BC-UBND ngày 10/12/2024\"")
                    && refused.text.contains("value=\"0,6\""))
            let future = fields.map { $0.0 == "year" ? ("year", "2027") : $0 }
            #expect(
                try await client.form(
                    "/dashboard/scorecard", [("csrf", sessionCSRF)] + future, cookies: ["sipas_session": session]
                ).status == .unprocessableContent)
            // A year that is no year is named as typed (Period.year), not read as 0.
            let typo = fields.map { $0.0 == "year" ? ("year", "20x4") : $0 }
            let mistyped = try await client.form(
                "/dashboard/scorecard", [("csrf", sessionCSRF)] + typo, cookies: ["sipas_session": session])
            #expect(mistyped.status == .unprocessableContent)
            #expect(
                mistyped.text.contains("year: &#39;20x4&#39; is not a year")
                    || mistyped.text.contains("year: '20x4' is not a year"))
            let computed = fields.map { $0.0 == "criterion" ? ("criterion", "digitisation") : $0 }
            #expect(
                try await client.form(
                    "/dashboard/scorecard", [("csrf", sessionCSRF)] + computed, cookies: ["sipas_session": session]
                ).status == .unprocessableContent)

            let after = try await line("training-report")
            #expect(after.status == "entered" && after.points == 0.45 && after.gap == 0.05)
            #expect(after.entry?.evidence == "Báo cáo 12/BC-UBND ngày 10/12/2024")
            #expect(after.office == "Phòng Nội vụ")
            let audit = try await fixture.env.database.auditEntries().map(\.action)
            #expect(audit.contains("scorecard.enter"))

            // An official's session, on the same app, may read the scorecard but not enter scores.
            do {
                let signin = try await client.page("/dashboard")
                let csrf = try #require(signin.hidden("csrf"))
                let opened = try await client.form(
                    "/dashboard/signin", [("csrf", csrf), ("token", fixture.districtOfficial)],
                    cookies: ["sipas_csrf": csrf])
                let session = try #require(opened.cookie("sipas_session"))
                let page = try await client.page("/dashboard?unit=875&year=2024", cookies: ["sipas_session": session])
                #expect(!page.text.contains("action=\"/dashboard/scorecard\""))
                let sessionCSRF = try #require(page.hidden("csrf"))
                let refused = try await client.form(
                    "/dashboard/scorecard",
                    [
                        ("csrf", sessionCSRF), ("unit", "875"), ("year", "2024"), ("criterion", "training-plan"),
                        ("points", "1"), ("evidence", "x"),
                    ],
                    cookies: ["sipas_session": session])
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("years are four digits from 1900: signed, padded or decimal years are refused naming the field")
    func strictYears() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            for uri in [
                "/v1/scorecard?unit=875&year=%2B024", "/v1/scorecard?unit=875&year=2024.0",
                "/v1/index?unit=875&year=0024",
                "/v1/timeliness?unit=875&year=1899", "/v1/flags?year=24",
            ] {
                let response = try await client.get(uri, token: fixture.admin)
                #expect(response.status == .unprocessableContent, "\(uri)")
                #expect(response.text.contains("year"), "\(uri)")
            }
        }
    }

    @Test("QĐ 766's set says which 26 of the 100 points it covers and labels its satisfaction line a proxy")
    func partialScheme() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let card = try await client.get(
                "/v1/scorecard?unit=875&year=2024&ruleset=qd766", token: fixture.districtOfficial
            ).decode(TimelinessController.ScorecardReply.self)
            #expect(card.coverage?.contains("chỉ gồm 26 trong 100 điểm của QĐ 766/QĐ-TTg") == true)
            let satisfaction = card.criteria.first { $0.id == "satisfaction" }
            #expect(satisfaction?.proxy?.contains("số liệu thay thế") == true)
        }
        let text = try await Reports.scorecard(
            database: fixture.env.database,
            reference: ReferenceData.load(
                calendarDirectory: fixture.env.configuration.calendarDirectory,
                scoringDirectory: fixture.env.configuration.scoringDirectory),
            unit: "875", year: 2024, ruleSet: "qd766", json: false)
        #expect(
            text.contains(
                "Phạm vi: chỉ gồm 26 trong 100 điểm của QĐ 766/QĐ-TTg; tổng điểm này không phải điểm QĐ 766/QĐ-TTg"))
    }
}

@Suite("A due date the source gave")
struct GivenDueDateTests {
    @Test("stays given when the source sends an update without it, and no recount touches it")
    func kept() async throws {
        let env = try ScorecardAndCalendarTests.environment()
        defer { env.remove() }
        let integration = try env.token(.integration, unit: "82")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let given = dossierJSON(
                "G-1", unit: "30169", received: "2026-11-23T09:00:00+07:00", status: "received",
                extra: #","dueDate":"2026-11-27""#)
            let first = try await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(given)]}"#)
                .decode(DossiersController.Reply.self)
            #expect(first.results.first?.dueDateBasis == "given")
            let update = dossierJSON("G-1", unit: "30169", received: "2026-11-23T09:00:00+07:00", status: "in-progress")
            let second = try await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(update)]}"#)
                .decode(DossiersController.Reply.self)
            let result = try #require(second.results.first)
            #expect(result.status == "updated" && result.dueDate == "2026-11-27" && result.dueDateBasis == "given")
            let again = try await client.post("/v1/dossiers", key: integration, json: #"{"dossiers":[\#(update)]}"#)
                .decode(DossiersController.Reply.self)
            #expect(again.results.first?.status == "unchanged")
        }
        let row = try await env.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT dueDate, dueDateBasis FROM dossier WHERE code = 'G-1'")
        }
        #expect(row?["dueDate"] as String? == "2026-11-27" && row?["dueDateBasis"] as String? == "given")
    }
}
