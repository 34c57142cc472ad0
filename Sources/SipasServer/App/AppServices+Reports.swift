import Foundation
import SipasDomain

// The command line's reports, read as an admin: whoever can read the data directory can read the database.
extension AppServices {
    /// The scorecard of a unit for a year (`sipas report scorecard`), as the plan writes it or as JSON.
    public func scorecardReport(unit: String, year: Int, ruleSet: String?, json: Bool) async throws -> String {
        let today = LocalDate(configuration.now())
        let report = try await Self.operatorErrors {
            try await scorecard.report(unit: unit, year: year, ruleSet: ruleSet, reader: .admin, today: today)
        }
        return json ? try Self.json(report) : report.text
    }

    /// Enters the score of a criterion sipas cannot measure (`sipas scorecard set`, audited as `actor`); returns a line
    /// saying what was stored.
    public func enterScore(
        unit: String, year: Int, ruleSet: String?, criterion: String, points: String, evidence: String, actor: String
    ) async throws -> String {
        try await Self.operatorErrors {
            let entry = try await scorecard.enter(
                unit: unit, year: year, ruleSet: ruleSet, criterion: criterion, points: points, evidence: evidence,
                actor: actor, now: configuration.now())
            let set = try scorecard.ruleSet(ruleSet)
            return
                "\(set.id) / \(criterion), unit \(unit), \(year): \(ScorecardReport.points(entry.points)) điểm (\(entry.evidence))"
        }
    }

    /// The printed report of `unit` in `year` (`sipas report print`) as one HTML document, the same as
    /// `/dashboard/print`, its stylesheet inlined (it is opened from a file).
    public func printedReport(unit: String, year: Int) async throws -> String {
        let pages = try await WebPages.load(directory: configuration.webDirectory)
        let document = document(figures: figures(pages: pages))
        let context = try await Self.operatorErrors {
            try await document.context(unit: unit, year: year, reader: .admin, now: configuration.now())
        }
        let html = pages.library.render(context, withTemplate: "print") ?? ""
        let stylesheet = ((configuration.webDirectory as NSString).appendingPathComponent("static") as NSString)
            .appendingPathComponent("sipas.css")
        guard let css = FileManager.default.contents(atPath: stylesheet) else {
            throw OperatorError("\(stylesheet): cannot be read")
        }
        return html.replacingOccurrences(
            of: #"<link rel="stylesheet" href="/static/sipas.css">"#,
            with: "<style>\n\(String(decoding: css, as: UTF8.self))</style>")
    }

    /// `body`'s answer; a refusal of the request (an unknown unit, a bad period) becomes an operator error.
    static func operatorErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw OperatorError(refusal: error) ?? error
        }
    }

    /// `value` as indented JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try APIJSON.indented.encode(value), as: UTF8.self)
    }
}
