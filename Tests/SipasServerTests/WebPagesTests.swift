import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Synchronization
import Testing

@testable import SipasServer

extension TestClientProtocol {
    /// POSTs a form, with cookies.
    func form(_ uri: String, _ fields: [(String, String)], cookies: [String: String] = [:]) async throws -> TestResponse
    {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func page(_ uri: String, cookies: [String: String] = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    /// The value a `Set-Cookie` header gives `name`.
    func cookie(_ name: String) -> String? {
        headers[values: .setCookie].lazy.compactMap { header -> String? in
            let first = header.split(separator: ";").first.map(String.init) ?? ""
            return first.hasPrefix(name + "=") ? String(first.dropFirst(name.count + 1)) : nil
        }.first
    }

    /// The value of the hidden field `name` in an HTML page.
    func hidden(_ name: String) -> String? {
        guard let range = text.range(of: #"name="\#(name)" value=""#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}

@Suite("Web pages: the survey form, tickets and the dashboard")
struct WebPagesTests {
    @Test(
        "a desk tablet signs in once; the form renders with fieldsets per element; a double submit makes one response")
    func deskTablet() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        // The app's clock, moved on within the test: one app takes the form and, a minute later, its refresh.
        let clock = Mutex(TestEnvironment.now)
        var configuration = env.configuration
        configuration.now = { clock.withLock { $0 } }
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let anonymous = try await client.page("/s/sipas")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/device?lang=vi&survey=sipas")

            let signin = try await client.page("/device")
            let csrf = try #require(signin.hidden("csrf"))
            #expect(signin.cookie("sipas_csrf") == csrf)
            #expect(
                try await client.form("/device", [("csrf", "forged"), ("key", key)], cookies: ["sipas_csrf": csrf])
                    .status == .forbidden)
            let wrong = try await client.form(
                "/device", [("csrf", csrf), ("key", "sipas_dev_nope")], cookies: ["sipas_csrf": csrf])
            #expect(wrong.status == .unauthorized)
            let signed = try await client.form(
                "/device", [("csrf", csrf), ("key", key), ("survey", "sipas")], cookies: ["sipas_csrf": csrf])
            #expect(signed.status == .seeOther)
            let cookie = try #require(signed.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"))
            let device = try #require(signed.cookie("sipas_device"))

            let form = try await client.page("/s/sipas", cookies: ["sipas_device": device])
            #expect(form.status == .ok)
            #expect(form.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(form.headers[.xContentTypeOptions] == "nosniff")
            #expect(form.text.components(separatedBy: "<fieldset class=\"element\">").count - 1 == 5)
            #expect(form.text.contains("Tiếp cận dịch vụ") && form.text.contains("(không bắt buộc)"))
            let responseID = try #require(form.hidden("responseId"))

            let fields = [
                ("responseId", responseID), ("surveyVersion", "1"), ("lang", "vi"), ("answer.a1", "5"),
                ("answer.s1", "4"),
                ("expectation", "shorter-time"), ("expectation", "lower-fees"),
                ("comment", "<script>alert(1)</script>"),
            ]
            let thanks = try await client.form("/s/sipas", fields, cookies: ["sipas_device": device])
            #expect(thanks.status == .ok && thanks.text.contains("Cảm ơn"))
            #expect(thanks.text.contains(#"http-equiv="refresh" content="6;url=/s/sipas?lang=vi""#))
            let again = try await client.form("/s/sipas", fields, cookies: ["sipas_device": device])
            #expect(again.status == .ok && again.text.contains("Cảm ơn"))

            // The same form sent again a minute later (a refresh): still the same response.
            clock.withLock { $0 += 60 }
            let resent = try await client.form("/s/sipas", fields, cookies: ["sipas_device": key])
            #expect(resent.status == .ok && resent.text.contains("Cảm ơn"), "\(resent.text)")
        }
        #expect(try await env.database.responseCount() == 1)
        let stored = try await env.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT channel, desk, comment FROM response")
        }
        #expect(stored?["channel"] as String? == "desk" && stored?["desk"] as String? == "Một cửa 1")
        #expect(stored?["comment"] as String? == "<script>alert(1)</script>")
    }

    @Test("errors come back on the form, next to the field, in the form's language, with user text escaped")
    func errors() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        env.configuration.tls = .insecureHTTP
        let key = try env.deviceKey()
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let long = String(repeating: "x", count: 1_001) + "<b>"
            let vietnamese = try await client.form(
                "/s/sipas",
                [("responseId", UUID().uuidString), ("surveyVersion", "1"), ("lang", "vi"), ("comment", long)],
                cookies: ["sipas_device": key])
            #expect(vietnamese.status == .unprocessableContent)
            #expect(vietnamese.text.contains("role=\"alert\""))
            #expect(vietnamese.text.contains("Vui lòng trả lời ít nhất một câu hỏi."))
            #expect(
                vietnamese.text.contains("Câu 21 «")
                    && vietnamese.text.contains("Ý kiến dài tối đa 1.000 ký tự (ý kiến này dài 1.004 ký tự)."))
            #expect(vietnamese.text.contains("&lt;b&gt;") && !vietnamese.text.contains("<b>"))
            let english = try await client.form(
                "/s/quick",
                [("responseId", UUID().uuidString), ("surveyVersion", "1"), ("lang", "en"), ("answer.rating", "9")],
                cookies: ["sipas_device": key])
            #expect(english.status == .unprocessableContent)
            #expect(
                english.text.contains("Question 1 “") && english.text.contains("That answer is not on the scale 1-3"))
            // Behind a TLS proxy (plain HTTP here) the proxy sends HSTS; the other security headers stay.
            #expect(english.headers[.strictTransportSecurity] == nil)
            #expect(
                english.headers[.contentSecurityPolicy] != nil && english.headers[.xContentTypeOptions] == "nosniff")
        }
        #expect(try await env.database.responseCount() == 0)
    }

    @Test("a ticket opens the form with the dossier filled in, accepts one response, and expires")
    func tickets() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(unit: "30172")
        // The app's clock, moved on within the test, so one app also sees a ticket expire.
        let clock = Mutex(TestEnvironment.now)
        var configuration = env.configuration
        configuration.now = { clock.withLock { $0 } }
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let created = try await client.post(
                "/v1/tickets", key: key, json: #"{"dossier":"H35-241129-0007","procedure":"1.004873"}"#)
            #expect(created.status == .created)
            let reply = try created.decode(TicketsController.Reply.self)
            let ticket = reply.ticket
            #expect(reply.url.hasSuffix("/s/sipas?t=\(ticket)"))
            let qr = try await client.page("/v1/tickets/\(ticket)/qr.svg")
            #expect(qr.headers[.contentType] == "image/svg+xml" && qr.text.hasPrefix("<svg"))
            #expect(
                try await client.post("/v1/tickets", key: key, json: #"{"dossier":"X","unit":"30169"}"#).status
                    == .unprocessableContent)

            let form = try await client.page("/s/sipas?t=\(ticket)")
            #expect(form.status == .ok, "\(form.text)")
            #expect(
                form.status == .ok && form.text.contains("H35-241129-0007") && form.text.contains("Xã Mỹ An Hưng A"))
            let fields = [
                ("responseId", try #require(form.hidden("responseId"))), ("surveyVersion", "1"), ("lang", "vi"),
                ("ticket", ticket), ("answer.r1", "5"),
            ]
            #expect(try await client.form("/s/sipas", fields).text.contains("Cảm ơn"))
            #expect(try await client.form("/s/sipas", fields).text.contains("Cảm ơn"))  // a refresh of the same answer
            var other = fields
            other[0] = ("responseId", UUID().uuidString)
            #expect(try await client.form("/s/sipas", other).status == .conflict)
            #expect(try await client.page("/s/sipas?t=nope-nope-nope-nope-nope").status == .notFound)
            let stored = try await env.database.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT channel, unit, dossier, deviceId FROM response")
            }
            #expect(stored.count == 1)
            #expect(
                stored.first?["channel"] as String? == "web"
                    && stored.first?["dossier"] as String? == "H35-241129-0007")
            #expect(stored.first?["deviceId"] as Int64? == nil)

            // A 30-day ticket, 31 days later.
            let expiring = try await env.database.createTicket(
                unit: "30172", procedure: nil, dossier: "D-1", now: TestEnvironment.now, lifetime: 30 * 24 * 3600)
            clock.withLock { $0 += 31 * 24 * 3600 }
            #expect(try await client.page("/s/sipas?t=\(expiring.id)").status == .gone)
        }
    }

    @Test("the QR code of a ticket decodes to its link (rendered to PNG and read by zbarimg)")
    func qrDecodes() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(unit: "30172")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let reply = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H35-241129-0008"}"#)
                .decode(TicketsController.Reply.self)
            let ticket = reply.ticket
            let svg = try await client.page("/v1/tickets/\(ticket)/qr.svg").text
            let svgPath = env.directory + "/qr.svg", pngPath = env.directory + "/qr.png"
            try svg.write(toFile: svgPath, atomically: true, encoding: .utf8)
            #expect(
                try Self.run("rsvg-convert", ["-o", pngPath, svgPath]).status == 0,
                "rsvg-convert (Debian: librsvg2-bin) is needed")
            let decoded = try Self.run("zbarimg", ["--raw", "-q", pngPath])
            #expect(decoded.status == 0, "zbarimg (Debian: zbar-tools) is needed")
            #expect(decoded.output.trimmingCharacters(in: .whitespacesAndNewlines) == reply.url)
        }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let finished = try ChildProcess.run(tool, arguments)
        return (finished.status, finished.output)
    }

    @Test("the dashboard: sign in with a token, see only that token's units, sign out; CSV links work with the session")
    func dashboard() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        var configuration = fixture.env.configuration
        configuration.tls = .officeAuthority
        try await fixture.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let signin = try await client.page("/dashboard")
            let csrf = try #require(signin.hidden("csrf"))
            #expect(
                try await client.form(
                    "/dashboard/signin", [("csrf", csrf), ("token", "sipas_tok_wrong")], cookies: ["sipas_csrf": csrf]
                ).status == .unauthorized)
            #expect(
                try await client.form(
                    "/dashboard/signin", [("csrf", "x"), ("token", fixture.districtOfficial)],
                    cookies: ["sipas_csrf": csrf]
                ).status == .forbidden)
            let opened = try await client.form(
                "/dashboard/signin", [("csrf", csrf), ("token", fixture.districtOfficial)],
                cookies: ["sipas_csrf": csrf])
            #expect(opened.status == .seeOther)
            let cookie = try #require(opened.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"))
            let session = try #require(opened.cookie("sipas_session"))

            let page = try await client.page("/dashboard?unit=875&year=2024", cookies: ["sipas_session": session])
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Huyện Lấp Vò · 2024</h1>"))
            #expect(page.text.components(separatedBy: "<svg").count - 1 == 4)
            #expect(page.text.contains("Xã Mỹ An Hưng A") && page.text.contains("Bảng điểm"))
            #expect(!page.text.contains("<script"))
            let print = try await client.page(
                "/dashboard/print?unit=875&year=2024", cookies: ["sipas_session": session])
            #expect(
                print.text.contains("<body class=\"print\">")
                    && print.text.contains("<p class=\"doc-type\">BÁO CÁO</p>"))
            #expect(print.text.components(separatedBy: "<svg").count - 1 == 4)
            let csv = try await client.page("/v1/index.csv?unit=875&year=2024", cookies: ["sipas_session": session])
            #expect(csv.status == .ok && csv.text.hasPrefix("\u{FEFF}group"))
            let outside = try await client.page("/dashboard?unit=82&year=2025", cookies: ["sipas_session": session])
            #expect(outside.status == .forbidden)
            #expect(
                try await client.page("/v1/index.csv?unit=82&year=2025", cookies: ["sipas_session": session]).status
                    == .forbidden)

            let sessionCSRF = try #require(page.hidden("csrf"))
            #expect(
                try await client.form(
                    "/dashboard/signout", [("csrf", sessionCSRF)], cookies: ["sipas_session": session]
                ).status == .seeOther)
            #expect(
                try await client.page("/dashboard?unit=875&year=2024", cookies: ["sipas_session": session]).text
                    .contains("name=\"token\""))
        }
    }
}
