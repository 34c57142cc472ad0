import SipasDomain

/// How an index is broken down (`groupBy`).
enum IndexGrouping: String, Sendable, CaseIterable {
    case element, item, unit, procedure, channel, month, quarter, year
    /// The outcome of the dossier the response names (early, on time, late…), as of today.
    case timeliness
}

/// A validated index query, from the API's parameters or the command line.
struct IndexRequest: Sendable {
    var survey = "sipas"
    var unit: String
    var from: LocalDate
    var to: LocalDate
    var surveyVersion: Int?
    var procedure: String?
    var channel: ResponseChannel?
    var desk: String?
    var groupBy: IndexGrouping?
    /// Leave out the responses flagged by the stuffing signals (`excludeFlagged=true`), to show their effect.
    var excludeFlagged = false

    /// Reads the query parameters; a bad one is a 422 naming it.
    init(parameters: [String: String], now: LocalDate) throws {
        var problems: [FieldProblem] = []
        func report(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        func date(_ name: String) -> LocalDate? {
            guard let text = parameters[name] else { return nil }
            if let date = LocalDate(text) { return date }
            report(name, "'\(text)' is not a date YYYY-MM-DD")
            return nil
        }

        survey = parameters["survey"] ?? "sipas"
        unit = parameters["unit"] ?? ""
        if unit.isEmpty { report("unit", "is required (the code of the unit, e.g. 875)") }
        var from = date("from"), to = date("to")
        if let yearText = parameters["year"] {
            if let year = LocalDate.year(yearText), let first = LocalDate(year: year, month: 1, day: 1) {
                from = from ?? first
                to = to ?? LocalDate(year: year, month: 12, day: 31)
            } else {
                report("year", "'\(yearText)' is not a year YYYY from 1900 to 9999")
            }
        }
        let start = from ?? LocalDate(year: now.year, month: 1, day: 1)!
        let end = to ?? now
        if start > end { report("to", "\(end) is before from \(start)") }
        self.from = start
        self.to = end
        if let text = parameters["surveyVersion"] {
            surveyVersion = Int(text)
            if surveyVersion == nil { report("surveyVersion", "'\(text)' is not a version number") }
        }
        // The same text rule as where procedures and desks enter, so a filter names them as they were stored.
        for (name, value) in [("procedure", \IndexRequest.procedure), ("desk", \IndexRequest.desk)] {
            switch InputText.optional(parameters[name], field: name) {
            case .success(let text): self[keyPath: value] = text
            case .failure(let problem): report(problem.field, problem.message)
            }
        }
        if let text = parameters["channel"] {
            channel = ResponseChannel(rawValue: text)
            if channel == nil { report("channel", "'\(text)' is not one of \(ResponseChannel.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        if let text = parameters["groupBy"] {
            groupBy = IndexGrouping(rawValue: text)
            if groupBy == nil { report("groupBy", "'\(text)' is not one of \(IndexGrouping.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        switch parameters["excludeFlagged"] {
        case nil, "false": excludeFlagged = false
        case "true": excludeFlagged = true
        case let text?: report("excludeFlagged", "'\(text)' is not true or false")
        }
        guard problems.isEmpty else { throw Problem.invalid(InvalidResponse(problems)) }
    }

    init(unit: String, from: LocalDate, to: LocalDate) {
        self.unit = unit
        self.from = from
        self.to = to
    }
}

/// Who is asking for figures, from their token.
enum FigureReader: Sendable {
    /// Every unit.
    case admin
    /// One unit version (`CODE@YYYY-MM-DD`, the one the token was issued for) and everything under it, with its
    /// predecessors for the dates before it started.
    case official(unit: String)

    var isAdmin: Bool { if case .admin = self { true } else { false } }
}
