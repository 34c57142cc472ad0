import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("The dashboard lands where the link pointed, and on a year with figures")
struct DashboardLandingTests {
    /// Signs in through the page a link opened; returns the redirect's target and the session.
    static func signIn(
        _ client: any TestClientProtocol, through link: String, token: String, next override: String? = nil
    ) async throws -> (location: String?, session: String?) {
        let page = try await client.page(link)
        #expect(page.status == .ok && page.text.contains("name=\"token\""), "\(link): \(page.status)")
        let csrf = try #require(page.hidden("csrf"))
        // As a browser reads the field: the page escapes & as &amp;.
        let next = try #require(override ?? page.hidden("next")?.replacingOccurrences(of: "&amp;", with: "&"))
        let opened = try await client.form(
            "/dashboard/signin",
            [("csrf", csrf), ("lang", page.hidden("lang") ?? ""), ("next", next), ("token", token)],
            cookies: ["sipas_csrf": csrf])
        #expect(opened.status == .seeOther)
        return (opened.headers[.location], opened.cookie("sipas_session"))
    }

    @Test("signing in from a link opens the page it named: the dashboard and the print page, with their unit and year")
    func keepsTheLink() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let (location, session) = try await Self.signIn(
                client, through: "/dashboard?unit=875&year=2024", token: fixture.districtOfficial)
            #expect(location == "/dashboard?unit=875&year=2024&lang=vi")
            let page = try await client.page(try #require(location), cookies: ["sipas_session": try #require(session)])
            #expect(page.text.contains("<h1>Huyện Lấp Vò · 2024</h1>"))

            let print = try await Self.signIn(
                client, through: "/dashboard/print?unit=30172&year=2024&lang=en", token: fixture.districtOfficial)
            #expect(print.location == "/dashboard/print?unit=30172&year=2024&lang=en")
            // The sign-in page's language link keeps the page too.
            let english = try await client.page("/dashboard?unit=875&year=2024&lang=en")
            #expect(english.text.contains(#"href="/dashboard?unit=875&amp;year=2024&amp;lang=vi""#))
            // A score sent after the session ended: back to its unit and year once signed in (a form is not resent).
            let form = try await client.page("/dashboard")
            let csrf = try #require(form.hidden("csrf"))
            let expired = try await client.form(
                "/dashboard/scorecard?lang=vi",
                [("csrf", csrf), ("unit", "875"), ("year", "2024"), ("criterion", "x")],
                cookies: ["sipas_session": "ended"])
            #expect(expired.hidden("next") == "/dashboard?unit=875&amp;year=2024&amp;lang=vi")
        }
    }

    /// What a forged or mistyped `next` may hold; none of it is followed.
    static let elsewhere = [
        "//evil.example/x", "/\\evil.example", "https://evil.example/", "/\\/evil.example", "evil.example",
        "/dashboard\r\nSet-Cookie: a=b", "/\t/evil.example", "javascript:alert(1)", "",
    ]

    @Test("never a redirect to another site: anything but a path of this site opens the dashboard")
    func noOpenRedirect() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let official = try env.token(.official, unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            for next in Self.elsewhere {
                let (location, _) = try await Self.signIn(client, through: "/dashboard", token: official, next: next)
                #expect(location == "/dashboard?lang=vi", "\(next.debugDescription)")
            }
        }
        for next in Self.elsewhere {
            #expect(DashboardController.sameSitePath(next) == nil, "\(next.debugDescription)")
        }
        #expect(DashboardController.sameSitePath("/dashboard?unit=875&year=2024") == "/dashboard?unit=875&year=2024")
    }

    /// Who signs in, through which link, and the heading of the page they land on.
    static let landings = [
        ("district", "/dashboard", "<h1>Huyện Lấp Vò · 2024</h1>"),
        ("district", "/dashboard?unit=875", "<h1>Huyện Lấp Vò · 2024</h1>"),
        ("district", "/dashboard?unit=875&year=", "<h1>Huyện Lấp Vò · 2024</h1>"),
        ("district", "/dashboard/print?unit=30172", "năm 2024 của Xã Mỹ An Hưng A (mã 30172)"),
        ("commune", "/dashboard", "<h1>Xã Mỹ An Hưng A · 2024</h1>"),
        ("admin", "/dashboard?unit=30169", "· 2025</h1>"),
    ]

    @Test(
        "without a year: the latest year with figures for the unit asked or the token's (not the empty current year, 2026)"
    )
    func latestYearWithData() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let tokens = ["district": fixture.districtOfficial, "commune": fixture.communeOfficial, "admin": fixture.admin]
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            for (who, link, heading) in Self.landings {
                let (location, session) = try await Self.signIn(client, through: link, token: try #require(tokens[who]))
                let page = try await client.page(
                    try #require(location), cookies: ["sipas_session": try #require(session)])
                #expect(page.status == .ok, "\(who) \(link)")
                #expect(page.text.contains(heading), "\(who) \(link): \(page.text.prefix(2_000))")
                #expect(!page.text.contains("· 2026"), "\(who) \(link)")
            }
        }
    }

    @Test("a year that is not one is said so on the page, naming the parameter")
    func badYear() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let (_, session) = try await Self.signIn(client, through: "/dashboard", token: fixture.districtOfficial)
            let page = try await client.page(
                "/dashboard?unit=875&year=20x4", cookies: ["sipas_session": try #require(session)])
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("year: &#39;20x4&#39; is not a year YYYY"))
        }
    }

    @Test("the score form names its own unit and year and keeps its page's language when sent")
    func scoreFormFields() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let (location, session) = try await Self.signIn(
                client, through: "/dashboard?unit=875&year=2024&lang=en", token: fixture.admin)
            let cookies = ["sipas_session": try #require(session)]
            let page = try await client.page(try #require(location), cookies: cookies)
            #expect(page.text.contains(#"<form method="post" action="/dashboard/scorecard?lang=en""#))
            let form = try #require(
                page.text.components(separatedBy: "id=\"scorecard-form\"").dropFirst().first?.components(
                    separatedBy: "</form>"
                ).first)
            #expect(form.contains(#"name="unit" value="875""#) && form.contains(#"name="year" value="2024""#))
            let csrf = try #require(page.hidden("csrf"))
            let fields = [
                ("csrf", csrf), ("unit", "875"), ("year", "2024"), ("criterion", "training-report"),
                ("evidence", "Báo cáo 12/BC-UBND"),
            ]
            let refused = try await client.form(
                "/dashboard/scorecard?lang=en", fields + [("points", "9")], cookies: cookies)
            #expect(refused.status == .unprocessableContent && refused.text.contains(#"<html lang="en">"#))
            let stored = try await client.form(
                "/dashboard/scorecard?lang=en", fields + [("points", "0,4")], cookies: cookies)
            #expect(stored.headers[.location] == "/dashboard?unit=875&year=2024&lang=en#scorecard")
        }
    }
}
