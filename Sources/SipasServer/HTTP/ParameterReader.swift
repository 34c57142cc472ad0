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

extension TimelinessGrouping: ParameterWord {
    static var meaning: String { "a breakdown of the timeliness figures" }
}

/// Reads the query parameters of one endpoint: the names it takes, each value against its own vocabulary, every
/// problem named by its parameter (a 422 listing them all).
struct ParameterReader {
    /// The accepted parameters given; the others are refused once, in `init`, and read as absent.
    private let parameters: [String: String]
    private(set) var problems: [FieldProblem] = []

    /// Refuses a parameter the endpoint does not take (it would otherwise be silently ignored), naming those it takes,
    /// and one given more than once (which of the values was meant cannot be known).
    init(_ query: QueryParameters, accepted: [String], endpoint: String) {
        self.parameters = query.first.filter { accepted.contains($0.key) }
        for name in Set(query.pairs.map(\.name)).sorted() where !accepted.contains(name) {
            report(name, "is not a parameter of \(endpoint), which takes \(accepted.joined(separator: ", "))")
        }
        for (name, count) in query.repeated where accepted.contains(name) {
            report(name, "is given \(count) times; give it once")
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

    /// A date `YYYY-MM-DD` (``Period/date(_:field:)``).
    mutating func date(_ name: String) -> LocalDate? {
        guard let text = parameters[name] else { return nil }
        return take(Period.date(text, field: name))
    }

    /// A year `YYYY` (``Period/year(_:field:)``).
    mutating func year(_ name: String) -> Int? {
        guard let text = parameters[name] else { return nil }
        return take(Period.year(text, field: name))
    }

    /// The period of `from`/`to` or `year`, each name followed by `suffix` (`from2`), read by ``Period/read(_:today:)``;
    /// the year to `today` when the request names none (and when it names a bad one, with the problem reported).
    mutating func period(today: LocalDate, suffix: String = "") -> Period {
        let words = Period.Words(
            from: parameters["from" + suffix], to: parameters["to" + suffix], year: parameters["year" + suffix],
            suffix: suffix)
        switch Period.read(words, today: today) {
        case .success(let period): return period
        case .failure(let invalid):
            problems += invalid.problems
            return .yearToDate(today)
        }
    }

    private mutating func take<Value>(_ result: Result<Value, FieldProblem>) -> Value? {
        switch result {
        case .success(let value): return value
        case .failure(let problem):
            problems.append(problem)
            return nil
        }
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
    func check() throws(InvalidInput) {
        guard problems.isEmpty else { throw InvalidInput(problems) }
    }
}
