import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Charts: SVG drawn from templates, every text escaped")
struct ChartsTests {
    /// Markup, an ampersand and both quotes: what a unit name, a survey file or an interface text could hold.
    static let hostile = #"<script>&"'"#

    static func pages() async throws -> WebPages {
        try await WebPages.load(directory: TestEnvironment.repository.appendingPathComponent("Web").path)
    }

    @Test("a title, label or note holding markup comes out escaped, and the SVG parses back to the same text")
    func escaped() async throws {
        let pages = try await Self.pages()
        let bars = [
            Charts.Bar(label: Self.hostile, value: 82.5, interval: 80...85, note: " %" + Self.hostile),
            Charts.Bar(label: "empty", value: nil, interval: nil, note: Self.hostile),
        ]
        for svg in [
            pages.svg(BarChart(bars, title: Self.hostile, goal: 95)),
            pages.svg(ColumnChart(bars, title: Self.hostile)),
        ] {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(!svg.contains("<script"))
            #expect(svg.contains("&lt;script&gt;&amp;&quot;&#39;"))
            let parsed = try SVGText.parse(svg)
            #expect(parsed.title == Self.hostile)
            #expect(parsed.texts.contains(Self.hostile))
        }
        let bar = try SVGText.parse(pages.svg(BarChart(bars, title: Self.hostile, goal: 95)))
        // The scale, both labels, the figure with its note, and the empty bar's mark.
        #expect(
            bar.texts == ["0", "25", "50", "75", "100", Self.hostile, "82,50 %" + Self.hostile, "empty", Self.hostile])
        #expect(bar.elements["rect"] == 1 && bar.elements["line"] == 5 + 1 + 1)
        let columns = try SVGText.parse(pages.svg(ColumnChart(bars, title: Self.hostile)))
        #expect(columns.texts == ["83 %" + Self.hostile, Self.hostile, Self.hostile, "empty"])
    }

    @Test("the dashboard draws its four charts, a unit name holding markup escaped, each SVG well-formed")
    func dashboard() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let name = "Xã " + Self.hostile
        try await fixture.env.database.writer.write { db in
            try db.execute(sql: "UPDATE unit SET name = ? WHERE code = '30172'", arguments: [name])
        }
        try await fixture.env.withApp(fixture.env.configuration) { (client: any TestClientProtocol) async throws in
            let signin = try await client.page("/dashboard")
            let csrf = try #require(signin.hidden("csrf"))
            let opened = try await client.form(
                "/dashboard/signin", [("csrf", csrf), ("token", fixture.admin)], cookies: ["sipas_csrf": csrf])
            let session = try #require(opened.cookie("sipas_session"))
            for path in ["/dashboard?unit=875&year=2024", "/dashboard/print?unit=875&year=2024"] {
                let page = try await client.page(path, cookies: ["sipas_session": session])
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script"), "\(path)")
                let charts = SVGText.charts(in: page.text)
                #expect(charts.count == 4, "\(path)")
                let parsed = try charts.map(SVGText.parse)
                #expect(parsed.allSatisfy { !$0.title.isEmpty }, "\(path)")
                // The units chart labels the commune by its name, as text.
                #expect(parsed.contains { $0.texts.contains { $0.hasPrefix(name) } }, "\(path)")
            }
        }
    }
}

/// What an SVG says once parsed as XML: its title, the text of each `<text>` in order, and how many of each element.
struct SVGText {
    var title = ""
    var texts: [String] = []
    var elements: [String: Int] = [:]

    /// The `<svg …>…</svg>` parts of a page.
    static func charts(in page: String) -> [String] {
        page.components(separatedBy: "<svg").dropFirst().compactMap { part in
            part.range(of: "</svg>").map { "<svg" + part[..<$0.upperBound] }
        }
    }

    /// Parses `svg` as XML; throws if it is not well-formed.
    static func parse(_ svg: String) throws -> SVGText {
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = Reader()
        parser.delegate = reader
        guard parser.parse() else {
            throw ParseError(message: "\(parser.parserError.map(String.init(describing:)) ?? "not XML"): \(svg)")
        }
        return reader.result
    }

    struct ParseError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var result = SVGText()
        private var characters = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            result.elements[name, default: 0] += 1
            characters = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            characters += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" { result.title = characters }
            if name == "text" { result.texts.append(characters) }
            characters = ""
        }
    }
}
