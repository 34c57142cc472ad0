import SipasDomain

/// A closed vocabulary a query parameter takes its value from, named for the error messages: a survey channel and
/// a dossier channel are different words, and each parameter is checked against its own.
protocol ParameterWord: RawRepresentable, CaseIterable where RawValue == String {
    /// What the words are, e.g. "a response channel".
    static var meaning: String { get }
}

extension ParameterWord {
    /// The accepted words, in their declared order.
    static var words: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension ResponseChannel: ParameterWord {
    static var meaning: String { "a response channel" }
}

extension DossierChannel: ParameterWord {
    static var meaning: String { "a dossier channel" }
}

extension IndexGrouping: ParameterWord {
    static var meaning: String { "a breakdown of the index" }
}

extension TimelinessGrouping: ParameterWord {
    static var meaning: String { "a breakdown of the timeliness figures" }
}

/// Reads the query parameters of one endpoint: the names it takes, each value against its own vocabulary, every
/// problem named by its parameter (a 422 listing them all).
struct ParameterReader {
    /// The accepted parameters given; the others are refused once, in `init`, and read as absent.
    private let parameters: [String: String]
    private(set) var problems: [FieldProblem] = []

    /// Refuses a parameter the endpoint does not take (it would otherwise be silently ignored), naming those it takes.
    init(_ parameters: [String: String], accepted: [String], endpoint: String) {
        self.parameters = parameters.filter { accepted.contains($0.key) }
        for name in parameters.keys.sorted() where !accepted.contains(name) {
            report(name, "is not a parameter of \(endpoint), which takes \(accepted.joined(separator: ", "))")
        }
    }

    /// The value as given, nil when absent.
    subscript(_ name: String) -> String? { parameters[name] }

    mutating func report(_ field: String, _ message: String) {
        problems.append(FieldProblem(field: field, message: message))
    }

    /// One of `Word`'s values; anything else is refused with the accepted words.
    mutating func word<Word: ParameterWord>(_ name: String, _ type: Word.Type) -> Word? {
        guard let text = parameters[name] else { return nil }
        if let word = Word(rawValue: text) { return word }
        report(name, "'\(text)' is not \(Word.meaning): one of \(Word.words)")
        return nil
    }

    /// A date `YYYY-MM-DD`.
    mutating func date(_ name: String) -> LocalDate? {
        guard let text = parameters[name] else { return nil }
        if let date = LocalDate(text) { return date }
        report(name, "'\(text)' is not a date YYYY-MM-DD")
        return nil
    }

    /// A year `YYYY`.
    mutating func year(_ name: String) -> Int? {
        guard let text = parameters[name] else { return nil }
        if let year = LocalDate.year(text) { return year }
        report(name, "'\(text)' is not a year YYYY from \(LocalDate.years.lowerBound) to \(LocalDate.years.upperBound)")
        return nil
    }

    /// The period `from`…`to` (dates) or `year`, each name followed by `suffix` (`from2`); without them, from the
    /// first of January of `today`'s year to `today`.
    mutating func period(today: LocalDate, suffix: String = "") -> (from: LocalDate, to: LocalDate) {
        var from = date("from" + suffix), to = date("to" + suffix)
        if let year = year("year" + suffix), let first = LocalDate(year: year, month: 1, day: 1) {
            from = from ?? first
            to = to ?? LocalDate(year: year, month: 12, day: 31)
        }
        let start = from ?? LocalDate(year: today.year, month: 1, day: 1)!
        let end = to ?? today
        if start > end { report("to" + suffix, "\(end) is before from \(start)") }
        return (start, end)
    }

    /// `true` or `false`, `fallback` when absent.
    mutating func bool(_ name: String, fallback: Bool = false) -> Bool {
        switch parameters[name] {
        case nil: return fallback
        case "true": return true
        case "false": return false
        case let text?:
            report(name, "'\(text)' is not true or false")
            return fallback
        }
    }

    /// A whole number within `range`.
    mutating func int(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = parameters[name] else { return nil }
        if let number = Int(text), range.contains(number) { return number }
        report(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        return nil
    }

    /// Every problem found, if any: the domain's refusal, a 422 naming each parameter (`ProblemMiddleware`).
    func check() throws(InvalidResponse) {
        guard problems.isEmpty else { throw InvalidResponse(problems) }
    }
}
