/// A reporting period (kỳ báo cáo): the local dates `from` … `to`, both included, `from` never after `to`.
///
/// Every endpoint, page and command that takes a period reads it here, from the same words: `year=YYYY`, or
/// `from=YYYY-MM-DD` and `to=YYYY-MM-DD`, or neither (the year to date). Months (`YYYY-MM`) and quarters
/// (`YYYY-Qn`) are the keys of the index's breakdowns by month and quarter.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public let from: LocalDate
    public let to: LocalDate

    /// The days `from` … `to`; nil when `to` is before `from`.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    /// A calendar year, 1 January to 31 December; nil outside ``LocalDate/years``.
    public init?(year: Int) {
        guard LocalDate.years.contains(year), let first = LocalDate(year: year, month: 1, day: 1),
            let last = LocalDate(year: year, month: 12, day: 31)
        else { return nil }
        self.init(from: first, to: last)
    }

    /// A calendar month; nil when the parts name none.
    public init?(year: Int, month: Int) {
        guard let first = LocalDate(year: year, month: month, day: 1) else { return nil }
        let next =
            month == 12 ? LocalDate(year: year + 1, month: 1, day: 1) : LocalDate(year: year, month: month + 1, day: 1)
        self.init(from: first, to: next?.adding(days: -1) ?? LocalDate(year: year, month: 12, day: 31)!)
    }

    /// A quarter (1-4) of a year.
    public init?(year: Int, quarter: Int) {
        guard (1...4).contains(quarter), let first = Period(year: year, month: quarter * 3 - 2),
            let last = Period(year: year, month: quarter * 3)
        else { return nil }
        self.init(from: first.from, to: last.to)
    }

    /// From 1 January of `today`'s year to `today`: the period of a request that names none.
    public static func yearToDate(_ today: LocalDate) -> Period {
        Period(from: LocalDate(year: today.year, month: 1, day: 1)!, to: today)!
    }

    /// The calendar year the period is, when it is exactly one.
    public var wholeYear: Int? {
        from.year == to.year && from.month == 1 && from.day == 1 && to.month == 12 && to.day == 31 ? from.year : nil
    }

    /// The same days one year earlier (a leap day becomes 28 February).
    public var yearBefore: Period {
        func back(_ date: LocalDate) -> LocalDate {
            LocalDate(year: date.year - 1, month: date.month, day: date.day)
                ?? LocalDate(year: date.year - 1, month: date.month, day: date.day - 1)!
        }
        return Period(from: back(from), to: back(to))!
    }

    /// Whether `date` falls in the period.
    public func contains(_ date: LocalDate) -> Bool { from <= date && date <= to }

    /// `from…to`, e.g. `2025-01-01…2025-12-31`.
    public var description: String { "\(from)…\(to)" }

    // MARK: - Keys of the breakdowns

    /// The month of a date, `YYYY-MM`.
    public static func monthKey(_ date: LocalDate) -> String { String(date.description.prefix(7)) }

    /// The quarter of a month key `YYYY-MM`, `YYYY-Qn`.
    public static func quarterKey(month: String) -> String {
        let monthNumber = Int(month.suffix(2)) ?? 1
        return "\(month.prefix(4))-Q\((monthNumber - 1) / 3 + 1)"
    }

    /// The year of a month key `YYYY-MM`, `YYYY`.
    public static func yearKey(month: String) -> String { String(month.prefix(4)) }
}

// MARK: - Reading a period from text

extension Period {
    /// The words a request gives for a period, as written: any of them may be absent.
    public struct Words: Sendable {
        public var from: String?
        public var to: String?
        public var year: String?
        /// Appended to each name in problems (`from2`), for the second period of a comparison.
        public var suffix: String

        public init(from: String? = nil, to: String? = nil, year: String? = nil, suffix: String = "") {
            self.from = from
            self.to = to
            self.year = year
            self.suffix = suffix
        }
    }

    /// The period the words name. `year` gives 1 January and 31 December, `from` and `to` override either end;
    /// without any, the year to `today`. Each bad word is a problem naming it, as is an end before the start.
    public static func read(_ words: Words, today: LocalDate) -> Result<Period, InvalidInput> {
        var problems: [FieldProblem] = []
        func field(_ name: String) -> String { name + words.suffix }
        func read<T>(_ text: String?, _ name: String, _ parse: (String) -> Result<T, FieldProblem>) -> T? {
            guard let text else { return nil }
            switch parse(text) {
            case .success(let value): return value
            case .failure(let problem):
                problems.append(FieldProblem(field: field(name), message: problem.message))
                return nil
            }
        }
        var from = read(words.from, "from") { date($0, field: "from") }
        var to = read(words.to, "to") { date($0, field: "to") }
        if let year = read(words.year, "year", { Self.year($0, field: "year") }), let whole = Period(year: year) {
            from = from ?? whole.from
            to = to ?? whole.to
        }
        let start = from ?? yearToDate(today).from
        let end = to ?? today
        guard problems.isEmpty else { return .failure(InvalidInput(problems)) }
        guard let period = Period(from: start, to: end) else {
            // Name the ends as the request gave them, or say which default stood in for one it left out.
            let first =
                words.from != nil
                ? "\(field("from")) \(start)"
                : words.year != nil
                    ? "\(field("year"))'s first day \(start)"
                    : "\(start), 1 January of this year (no \(field("from")) or \(field("year")) given)"
            let last = words.to != nil ? "\(end)" : "today, \(end) (no \(field("to")) given)"
            return .failure(InvalidInput([FieldProblem(field: field("to"), message: "\(last) is before \(first)")]))
        }
        return .success(period)
    }

    /// A date written `YYYY-MM-DD` (also `asOf`), or the problem naming `field`.
    public static func date(_ text: String, field: String) -> Result<LocalDate, FieldProblem> {
        LocalDate(text).map { .success($0) }
            ?? .failure(FieldProblem(field: field, message: "'\(text)' is not a date YYYY-MM-DD"))
    }

    /// A year written `YYYY` within ``LocalDate/years``, or the problem naming `field`.
    public static func year(_ text: String, field: String) -> Result<Int, FieldProblem> {
        LocalDate.year(text).map { .success($0) }
            ?? .failure(
                FieldProblem(
                    field: field,
                    message:
                        "'\(text)' is not a year YYYY from \(LocalDate.years.lowerBound) to \(LocalDate.years.upperBound)"
                ))
    }
}
