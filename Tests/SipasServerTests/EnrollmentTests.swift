import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Synchronization
import Testing

@testable import SipasServer

/// An admin signed in to `/admin/devices` through the dashboard's sign-in, as a browser would.
struct AdminBrowser {
    let client: any TestClientProtocol
    let session: String
    let csrf: String

    /// Opens the devices page without a session (sent to the sign-in), signs in with `token`, and lands on it.
    static func signIn(_ client: any TestClientProtocol, token: String) async throws -> AdminBrowser {
        let first = try await client.page("/admin/devices")
        #expect(first.status == .seeOther)
        let signInPage = try #require(first.headers[.location])
        #expect(signInPage == "/dashboard/signin?next=%2Fadmin%2Fdevices&lang=vi")
        let (location, session) = try await DashboardLandingTests.signIn(client, through: signInPage, token: token)
        #expect(location == "/admin/devices?lang=vi")
        let page = try await client.page(try #require(location), cookies: ["sipas_session": try #require(session)])
        #expect(page.status == .ok, "\(page.text)")
        return AdminBrowser(client: client, session: try #require(session), csrf: try #require(page.hidden("csrf")))
    }

    func page(_ uri: String = "/admin/devices") async throws -> TestResponse {
        try await client.page(uri, cookies: ["sipas_session": session])
    }

    func post(_ uri: String, _ fields: [(String, String)] = [], csrf: String? = nil) async throws -> TestResponse {
        try await client.form(uri, [("csrf", csrf ?? self.csrf)] + fields, cookies: ["sipas_session": session])
    }

    /// Registers a device from the page; returns the page showing its code.
    func register(unit: String = "30172", desk: String = "Một cửa 2", label: String = "Tablet A") async throws
        -> TestResponse
    {
        let page = try await post("/admin/devices", [("unit", unit), ("desk", desk), ("label", label)])
        #expect(page.status == .ok, "\(page.text)")
        return page
    }
}

extension TestResponse {
    /// The enrollment code an admin page shows, `XXXX-XXXX`.
    var enrollmentCode: String? { firstMatch(#"id="enrollment-code">([0-9A-Z]{4}-[0-9A-Z]{4})<"#) }
    /// The enrollment link an admin page shows.
    var enrollmentLink: String? { firstMatch(#"id="enrollment-link" href="([^"]+)""#) }

    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}

@Suite("Enrolling desk tablets and kiosks with one-time codes")
struct EnrollmentTests {
    static let fifteenMinutes: TimeInterval = 15 * 60

    /// The latest device's id.
    static func lastDevice(_ env: TestEnvironment) throws -> Device {
        try #require(try env.database.devices().last)
    }

    @Test("an admin registers a tablet on the page; the tablet opens the link, confirms, and its responses are its own")
    func webEnrollment() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        let adminID = try #require(try env.database.tokens().last?.id)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let browser = try await AdminBrowser.signIn(client, token: admin)
            let registered = try await browser.register()
            let code = try #require(registered.enrollmentCode)
            #expect(registered.enrollmentLink == "https://localhost/e/\(code)")
            #expect(registered.text.contains("<svg") && registered.text.contains("Tablet A"))
            let device = try Self.lastDevice(env)
            #expect(device.status == .awaitingEnrollment && device.unit == "30172" && device.desk == "Một cửa 2")
            // No key anywhere on the page: only the code.
            #expect(!registered.text.contains("sipas_dev_"))

            // Opening the link (typed in lower case, without the dash) shows the device and uses nothing up.
            let typed = code.lowercased().replacingOccurrences(of: "-", with: "")
            for _ in 0..<2 {
                let preview = try await client.page("/e/\(typed)")
                #expect(preview.status == .ok)
                #expect(
                    preview.text.contains("Xã") && preview.text.contains("Một cửa 2")
                        && preview.text.contains("Đăng nhập máy tính bảng này là Tablet A"))
            }
            let confirm = try await client.page("/e/\(code)")
            let csrf = try #require(confirm.hidden("csrf"))
            #expect(confirm.cookie("sipas_csrf") == csrf)

            let enrolled = try await client.form("/e/\(code)", [("csrf", csrf)], cookies: ["sipas_csrf": csrf])
            #expect(enrolled.status == .seeOther && enrolled.headers[.location] == "/s/sipas?lang=vi")
            let setCookie = try #require(enrolled.headers[values: .setCookie].first { $0.hasPrefix("sipas_device=") })
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("SameSite=Strict"))
            let key = try #require(enrolled.cookie("sipas_device"))
            #expect(key.hasPrefix("sipas_dev_"))
            #expect(try Self.lastDevice(env).status == .active)

            // The form opens with that cookie, and what it sends is stored under that device.
            let form = try await client.page("/s/sipas", cookies: ["sipas_device": key])
            #expect(form.status == .ok && form.text.contains("Một cửa 2"))
            let responseID = try #require(form.hidden("responseId"))
            let thanks = try await client.form(
                "/s/sipas", [("responseId", responseID), ("surveyVersion", "1"), ("lang", "vi"), ("answer.a1", "5")],
                cookies: ["sipas_device": key])
            #expect(thanks.status == .ok && thanks.text.contains("Cảm ơn"))
            let stored = try env.database.writer.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT deviceId, desk, unit FROM response WHERE id = ?", arguments: [responseID])
            }
            #expect(stored?["deviceId"] as Int64? == device.id && stored?["desk"] as String? == "Một cửa 2")

            // Used once: the same code again, by the page or the API, is gone.
            let again = try await client.form("/e/\(code)", [("csrf", csrf)], cookies: ["sipas_csrf": csrf])
            #expect(again.status == .gone && again.text.contains("đã được dùng"))
            #expect(try await client.page("/e/\(code)?lang=en").text.contains("already been used"))
            #expect(try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(code)"}"#).status == .gone)
        }
        let audit = try await env.database.auditEntries().reversed().map { "\($0.action) by \($0.actor)" }
        let device = try Self.lastDevice(env)
        #expect(
            audit.suffix(3) == [
                "device.add by admin token \(adminID)", "device.enroll.code by admin token \(adminID)",
                "device.enroll by device \(device.id)",
            ])
        #expect(try await env.database.auditEntries().first?.detail.contains("the web page") == true)
    }

    @Test("a kiosk redeems its code at POST /v1/enroll and posts with the key; the code works once")
    func apiEnrollment() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let issued = try env.database.addDeviceForEnrollment(
            unit: "875", desk: nil, label: "Kiosk sảnh", now: TestEnvironment.now)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            // Case-insensitive, and the dash is optional.
            let code = issued.code.normalised.lowercased()
            let enrolled = try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(code)"}"#)
            #expect(enrolled.status == .created)
            #expect(enrolled.headers[.cacheControl] == "no-store")
            let body = try enrolled.decode(EnrollController.Reply.self)
            #expect(body.device == issued.device.id && body.unit == "875")
            // No desk: null, not left out (the reply's type requires the key).
            #expect(body.label == "Kiosk sảnh" && body.desk == nil)
            let key = body.key

            let posted = try await client.post("/v1/responses", key: key, json: sipasResponse())
            #expect(posted.status == .created)

            let twice = try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(issued.code)"}"#)
            #expect(twice.status == .gone && twice.headers[.contentType] == "application/problem+json")
            #expect(try twice.problem().detail == EnrollmentRefusal.used.detail)
            // The key it got still works: a second try changes nothing.
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
        }
        #expect(try await env.database.auditEntries().first?.detail.contains("POST /v1/enroll") == true)
    }

    /// Bodies and the status each gets: malformed (422), an unknown code (404), not JSON (400).
    static let refusedBodies: [(body: String, status: Int)] = [
        (#"{"code":"ABCD-EFG"}"#, 422), (#"{"code":"ABCD-EFGU"}"#, 422), (#"{"code":""}"#, 422), (#"{}"#, 422),
        (#"{"code":5}"#, 422), (#"["ABCD-EFGH"]"#, 422), (#"null"#, 422), (#"{"code":"ABCD-EFGH"}"#, 404),
        (#"{"code":"abcd efgh"}"#, 404), (#"{"code":"#, 400),
    ]

    @Test("POST /v1/enroll refuses a malformed body or code (422), an unknown code (404), and what is not JSON (400)")
    func apiRefusals() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        // One app for the whole table: building one per case only adds load.
        try await env.withApp { (client: any TestClientProtocol) async throws in
            for (body, status) in Self.refusedBodies {
                let answer = try await client.post("/v1/enroll", key: nil, json: body)
                #expect(answer.status.code == status, "\(body): \(answer.text)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                if status == 422 {
                    #expect(try answer.problem().errors?.first?.field != nil, "\(body)")
                }
            }
        }
    }

    @Test("a code works for 15 minutes: after that the link and the API answer 410")
    func expiry() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let issued = try env.database.addDeviceForEnrollment(
            unit: "875", desk: "Một cửa 1", label: nil, now: TestEnvironment.now)
        #expect(issued.expiresAt == TestEnvironment.now.addingTimeInterval(Self.fifteenMinutes))
        let clock = MovingClock(TestEnvironment.now.addingTimeInterval(Self.fifteenMinutes - 60))
        var configuration = env.configuration
        configuration.now = { clock.now }
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            // A minute before the end it still shows the device; at the end it is gone.
            #expect(try await client.page("/e/\(issued.code)").status == .ok)
            clock.now = TestEnvironment.now.addingTimeInterval(Self.fifteenMinutes)
            let page = try await client.page("/e/\(issued.code)")
            #expect(page.status == .gone && page.text.contains("hết hạn"))
            let api = try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(issued.code)"}"#)
            #expect(api.status == .gone)
            #expect(try api.problem().detail == EnrollmentRefusal.expired.detail)
            let unknown = try await client.page("/e/ZZZZ-ZZZZ?lang=en")
            #expect(unknown.status == .notFound && unknown.text.contains("not valid"))
            #expect(try await client.page("/e/not-a-code").status == .notFound)
        }
        // Redeemed in time, it works.
        let fresh = try env.database.addDeviceForEnrollment(
            unit: "875", desk: nil, label: nil, now: TestEnvironment.now)
        let redeemed = try await env.database.redeemEnrollmentCode(
            fresh.code, via: "test", now: TestEnvironment.now.addingTimeInterval(Self.fifteenMinutes - 1))
        #expect(redeemed.device.id == fresh.device.id)
    }

    @Test("revoking a device voids its unused code; a newer code voids the older one")
    func voiding() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let browser = try await AdminBrowser.signIn(client, token: admin)
            let first = try #require(try await browser.register().enrollmentCode)
            let device = try Self.lastDevice(env)
            // A new code for the device (replace key) voids the first.
            let second = try #require(try await browser.post("/admin/devices/\(device.id)/rekey").enrollmentCode)
            #expect(first != second)
            #expect(try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(first)"}"#).status == .gone)

            let revoked = try await browser.post("/admin/devices/\(device.id)/revoke")
            #expect(
                revoked.status == .seeOther
                    && revoked.headers[.location] == "/admin/devices?lang=vi#device-\(device.id)")
            let refused = try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(second)"}"#)
            #expect(refused.status == .gone)
            #expect(try refused.problem().detail == EnrollmentRefusal.voided.detail)
            #expect(try await client.page("/e/\(second)").text.contains("không còn hiệu lực"))
            #expect(try Self.lastDevice(env).status == .revoked)
            // Revoking it again: no active device.
            #expect(try await browser.post("/admin/devices/\(device.id)/revoke").status == .notFound)
        }
        let actions = try await env.database.auditEntries().map(\.action)
        #expect(actions.first == "device.revoke")
        #expect(try await env.database.auditEntries().first?.detail.contains("1 unused enrollment code voided") == true)
    }

    @Test("replacing a key on the page stops the old key at once; the new code gives the device a working key")
    func rekeyFromPage() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        let adminID = try #require(try env.database.tokens().last?.id)
        let oldKey = try env.deviceKey()
        let device = try Self.lastDevice(env)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            #expect(try await client.post("/v1/responses", key: oldKey, json: sipasResponse()).status == .created)
            let browser = try await AdminBrowser.signIn(client, token: admin)
            let page = try await browser.post("/admin/devices/\(device.id)/rekey")
            #expect(page.status == .ok && page.text.contains("Khóa cũ của thiết bị đã ngừng hoạt động"))
            let code = try #require(page.enrollmentCode)
            #expect(try await client.post("/v1/responses", key: oldKey, json: sipasResponse()).status == .unauthorized)
            #expect(try await browser.page().text.contains("Chờ đăng nhập bằng mã"))

            let enrolled = try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(code)"}"#)
            let reply = try enrolled.decode(EnrollController.Reply.self)
            let key = reply.key
            #expect(reply.device == device.id)
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            #expect(try await client.post("/v1/responses", key: oldKey, json: sipasResponse()).status == .unauthorized)
            #expect(try await browser.post("/admin/devices/99999/rekey").status == .notFound)
        }
        let entries = try await env.database.auditEntries().reversed().filter { $0.action.hasPrefix("device.") }
        #expect(entries.map(\.action).suffix(3) == ["device.rekey", "device.enroll.code", "device.enroll"])
        #expect(entries.first { $0.action == "device.rekey" }?.actor == "admin token \(adminID)")
    }

    @Test(
        "the register form sent twice (a reload of the code's page) registers one device; a refused form may be sent again"
    )
    func registerOnce() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let browser = try await AdminBrowser.signIn(client, token: admin)
            let formID = try #require(try await browser.page().hidden("formId"))
            // Refused (a unit not in force): the same form, corrected, registers.
            let refused = try await browser.post("/admin/devices", [("formId", formID), ("unit", "82")])
            #expect(refused.status == .unprocessableContent)
            let fields = [("formId", formID), ("unit", "30172"), ("desk", "Quầy 3")]
            let first = try await browser.post("/admin/devices", fields)
            #expect(first.status == .ok && first.enrollmentCode != nil)
            let device = try #require(try await env.database.devices().first)
            let reload = try await browser.post("/admin/devices", fields)
            #expect(reload.status == .conflict)
            #expect(reload.enrollmentCode == nil)
            #expect(reload.text.contains("thiết bị số \(device.id) đã được đăng ký"))
            #expect(try await env.database.devices().count == 1)
            // Each page carries a new form id: registering another device is one more form.
            let next = try #require(try await browser.page().hidden("formId"))
            #expect(next != formID)
            #expect(try await browser.post("/admin/devices", [("formId", next), ("unit", "30172")]).status == .ok)
            #expect(try await env.database.devices().count == 2)
        }
    }

    @Test("an official's session gets 403; a form without the session's CSRF secret gets 403 and changes nothing")
    func refusals() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let official = try env.token(.official, unit: "875")
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let signInPage = try await client.page("/dashboard/signin?next=%2Fadmin%2Fdevices")
            let (_, session) = try await DashboardLandingTests.signIn(
                client, through: "/dashboard/signin?next=%2Fadmin%2Fdevices", token: official)
            #expect(signInPage.status == .ok)
            let denied = try await client.page("/admin/devices", cookies: ["sipas_session": try #require(session)])
            #expect(denied.status == .forbidden && denied.text.contains("Chỉ quản trị viên"))
            let dashboard = try await client.page("/dashboard", cookies: ["sipas_session": try #require(session)])
            let officialCSRF = try #require(dashboard.hidden("csrf"))
            #expect(!dashboard.text.contains("/admin/devices"))
            let posted = try await client.form(
                "/admin/devices", [("csrf", officialCSRF), ("unit", "875")],
                cookies: ["sipas_session": try #require(session)])
            #expect(posted.status == .forbidden)

            let browser = try await AdminBrowser.signIn(client, token: admin)
            #expect(try await browser.page("/dashboard").text.contains(#"href="/admin/devices?lang=vi""#))
            let forged = try await browser.post("/admin/devices", [("unit", "875")], csrf: "forged")
            #expect(forged.status == .forbidden && forged.text.contains("Biểu mẫu đã hết hạn"))
            let missing = try await client.form(
                "/admin/devices", [("unit", "875")], cookies: ["sipas_session": browser.session])
            #expect(missing.status == .forbidden)
            #expect(try await env.database.devices().isEmpty)
            // Without a session, a form goes to the sign-in (a form is not sent again after it).
            #expect(try await client.form("/admin/devices", [("unit", "875")]).status == .seeOther)

            // A unit not in force, or a desk the text rule refuses: the page again with the error, nothing stored.
            let notYet = try await browser.post("/admin/devices", [("unit", "82"), ("desk", "Quầy 9")])
            #expect(notYet.status == .unprocessableContent && notYet.text.contains(#"value="Quầy 9""#))
            let badDesk = try await browser.post("/admin/devices", [("unit", "875"), ("desk", "Quầy\u{202E}1")])
            #expect(badDesk.status == .unprocessableContent && badDesk.text.contains("Quầy:"))
            let unknown = try await browser.post("/admin/devices", [("unit", "99999")])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("đơn vị đang hoạt động"))

            // The tablet's confirmation without the CSRF cookie its page set: 403, and the code stays usable.
            let code = try #require(try await browser.register().enrollmentCode)
            #expect(try await client.form("/e/\(code)", [("csrf", "x")]).status == .forbidden)
            #expect(try await client.post("/v1/enroll", key: nil, json: #"{"code":"\#(code)"}"#).status == .created)
        }
    }

    @Test("the page lists each device's responses received this month (Vietnam time) and when it was last seen")
    func overview() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        let key = try env.deviceKey(unit: "875", desk: "Một cửa 1")
        let device = try Self.lastDevice(env)
        _ = try env.deviceKey(unit: "875", desk: "Một cửa 3")
        // 23:30 on 31 October and 00:30 on 1 November, Vietnam time: either side of the month's start (17:00 UTC).
        let times = ["2024-10-31T23:30:00+07:00", "2024-11-01T00:30:00+07:00", "2024-11-29T09:00:00+07:00"]
        let clock = MovingClock(TestEnvironment.now)
        var configuration = env.configuration
        configuration.now = { clock.now }
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            for time in times {
                clock.now = Timestamp.parse(time)!
                let body = sipasResponse().replacingOccurrences(of: "2024-11-29T09:30:00+07:00", with: time)
                #expect(try await client.post("/v1/responses", key: key, json: body).status == .created)
            }
            clock.now = TestEnvironment.now
            let page = try await AdminBrowser.signIn(client, token: admin).page()
            let row = try #require(page.firstMatch(#"(<tr id="device-\#(device.id)"[\s\S]*?</tr>)"#))
            #expect(row.contains(#"<td class="count">2</td>"#), "\(row)")
            #expect(
                row.contains("29/11/2024 09:00") && row.contains("875 · Huyện Lấp Vò") && row.contains("Đang hoạt động")
            )
            let other = try #require(page.firstMatch(#"(<tr id="device-\#(device.id + 1)"[\s\S]*?</tr>)"#))
            #expect(other.contains(#"<td class="count">0</td>"#) && other.contains("chưa có"))
        }
        // The two counts are read from the index on (deviceId, receivedAt), not the table.
        let plans = try await env.database.writer.read { db in
            try [
                "SELECT count(*) FROM response WHERE deviceId = 1 AND receivedAt >= '2024' AND receivedAt < '2025'",
                "SELECT max(receivedAt) FROM response WHERE deviceId = 1",
            ].flatMap { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String } }
        }
        #expect(plans.allSatisfy { $0.contains("COVERING INDEX response_by_device_received") }, "\(plans)")
    }

    @Test("two redemptions of one code at once: exactly one gets the key")
    func concurrentRedemption() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let issued = try env.database.addDeviceForEnrollment(
            unit: "875", desk: nil, label: nil, now: TestEnvironment.now)
        let database = env.database
        @Sendable func redeem() async -> Result<String, any Error> {
            do {
                return .success(
                    try await database.redeemEnrollmentCode(issued.code, via: "test", now: TestEnvironment.now).key)
            } catch {
                return .failure(error)
            }
        }
        async let first = redeem()
        async let second = redeem()
        let results = await [first, second]
        #expect(results.filter { (try? $0.get()) != nil }.count == 1)
        #expect(
            results.contains {
                if case .failure(let error) = $0 { (error as? EnrollmentRefusal) == .used } else { false }
            })
    }

    @Test("v13 adds the codes table; a device added with a key is not awaiting enrollment")
    func migration() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        #expect(SQLiteDatabase.migrator.migrations.contains("v13: enrollment codes"))
        _ = try env.deviceKey()
        #expect(try Self.lastDevice(env).status == .active)
        // The schema refuses a code that is both used and voided, or expires before it was made.
        #expect(throws: DatabaseError.self) {
            try env.database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO enrollment_code (codeHash, deviceId, issuedBy, createdAt, expiresAt, usedAt, voidedAt)
                        VALUES (?, 1, 'test', '2024-01-01T00:00:00.000Z', '2024-01-01T00:15:00.000Z', '2024-01-01T00:01:00.000Z', '2024-01-01T00:02:00.000Z')
                        """, arguments: [String(repeating: "a", count: 64)])
            }
        }
    }
}

/// A clock the test moves while the app runs.
final class MovingClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date) { instant = Mutex(start) }

    var now: Date {
        get { instant.withLock { $0 } }
        set { instant.withLock { $0 = newValue } }
    }
}
