/// One row of a units file (`code,name,level,parent,validFrom,validTo`) as read, with its line number.
public struct UnitRow: Hashable, Sendable {
    public var line: Int
    public var code: String
    public var name: String
    public var level: String
    public var parent: String
    public var validFrom: String
    public var validTo: String

    public init(line: Int, code: String, name: String, level: String, parent: String, validFrom: String, validTo: String) {
        self.line = line
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

/// Plans the import of a units file against what is stored: all or nothing, and re-importing the
/// same file changes nothing.
public enum UnitImport {
    /// The header a units file must have.
    public static let header = ["code", "name", "level", "parent", "validFrom", "validTo"]

    /// The planned result.
    public struct Plan: Sendable {
        /// Rows to insert or overwrite, keyed by (code, validFrom).
        public var changes: [AdministrativeUnit]
        public var summary: ImportSummary
    }

    /// Checks every row on its own, then the merged register (stored + file): no overlapping versions
    /// of a code, a parent of the right level in force over the child's whole validity.
    public static func plan(rows: [UnitRow], existing: [AdministrativeUnit]) -> Result<Plan, ImportRefused> {
        var problems: [LineProblem] = []
        var parsed: [(line: Int, unit: AdministrativeUnit)] = []
        var seenKeys: [String: Int] = [:]

        for row in rows {
            switch parse(row) {
            case .failure(let refused): problems += refused.problems
            case .success(let unit):
                let key = "\(unit.code)@\(unit.validFrom)"
                if let first = seenKeys[key] {
                    problems.append(.init(line: row.line, message: "unit \(unit.code) valid from \(unit.validFrom) is already on line \(first)"))
                } else {
                    seenKeys[key] = row.line
                    parsed.append((row.line, unit))
                }
            }
        }
        if rows.isEmpty { problems.append(.init(line: 1, message: "the file has no units")) }
        guard problems.isEmpty else { return .failure(ImportRefused(problems)) }

        // Merge: a file row replaces the stored version with the same code and start date.
        var merged: [String: AdministrativeUnit] = [:]
        for unit in existing { merged["\(unit.code)@\(unit.validFrom)"] = unit }
        var summary = ImportSummary()
        var changes: [AdministrativeUnit] = []
        for (_, unit) in parsed {
            let key = "\(unit.code)@\(unit.validFrom)"
            switch merged[key] {
            case nil: summary.created += 1; changes.append(unit)
            case let stored? where stored == unit: summary.unchanged += 1
            default: summary.updated += 1; changes.append(unit)
            }
            merged[key] = unit
        }
        let directory = UnitDirectory(Array(merged.values))
        let lineOf = Dictionary(parsed.map { ("\($0.unit.code)@\($0.unit.validFrom)", $0.line) }, uniquingKeysWith: { a, _ in a })

        for (line, unit) in parsed {
            // Overlap with another version of the same code.
            for other in directory.all where other.code == unit.code && other.validFrom != unit.validFrom {
                let overlaps = other.validFrom <= (unit.validTo ?? LocalDate(year: 9999, month: 12, day: 31)!)
                    && unit.validFrom <= (other.validTo ?? LocalDate(year: 9999, month: 12, day: 31)!)
                if overlaps {
                    let whereFrom = lineOf["\(other.code)@\(other.validFrom)"].map { "line \($0)" } ?? "the stored units"
                    problems.append(.init(line: line, message: "unit \(unit.code) \(unit.validityDescription) overlaps its version \(other.validityDescription) from \(whereFrom)"))
                }
            }
            if let parent = unit.parent {
                problems += parentProblems(unit, parent: parent, in: directory).map { LineProblem(line: line, message: $0) }
            }
        }
        guard problems.isEmpty else { return .failure(ImportRefused(problems.sorted { $0.line < $1.line })) }
        return .success(Plan(changes: changes, summary: summary))
    }

    // MARK: - Rows

    static func parse(_ row: UnitRow) -> Result<AdministrativeUnit, ImportRefused> {
        var problems: [String] = []
        let code = row.code.trimmed, name = row.name.trimmed, parent = row.parent.trimmed
        let level = UnitLevel(rawValue: row.level.trimmed)
        if level == nil {
            problems.append("level '\(row.level)' is not one of \(UnitLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let level, !(code.count == level.codeLength && code.allSatisfy { $0.isASCII && $0.isNumber }) {
            problems.append("code '\(code)' is not a \(level.codeLength)-digit GSO code of a \(level.rawValue)")
        }
        if name.isEmpty { problems.append("name is empty") }
        let validFrom = LocalDate(row.validFrom.trimmed)
        if validFrom == nil { problems.append("validFrom '\(row.validFrom)' is not a date YYYY-MM-DD") }
        var validTo: LocalDate?
        if !row.validTo.trimmed.isEmpty {
            validTo = LocalDate(row.validTo.trimmed)
            if validTo == nil { problems.append("validTo '\(row.validTo)' is not a date YYYY-MM-DD (or empty while still valid)") }
        }
        if let validFrom, let validTo, validTo < validFrom { problems.append("validTo \(validTo) is before validFrom \(validFrom)") }
        if level == .province && !parent.isEmpty { problems.append("a province has no parent, got '\(parent)'") }
        if let level, level != .province && parent.isEmpty { problems.append("a \(level.rawValue) needs a parent") }
        if parent == code && !code.isEmpty { problems.append("a unit cannot be its own parent") }

        guard problems.isEmpty, let level, let validFrom else {
            return .failure(ImportRefused(problems.map { LineProblem(line: row.line, message: $0) }))
        }
        return .success(
            AdministrativeUnit(code: code, name: name, level: level, parent: parent.isEmpty ? nil : parent, validFrom: validFrom, validTo: validTo))
    }

    /// The parent must exist at the right level on every day of the child's validity (possibly across
    /// several of its own versions).
    static func parentProblems(_ unit: AdministrativeUnit, parent: String, in directory: UnitDirectory) -> [String] {
        guard directory.contains(code: parent) else { return ["parent \(parent) is not a known unit"] }
        var day = unit.validFrom
        var guardSteps = 0
        while guardSteps < 64 {
            guardSteps += 1
            guard let version = directory.unit(parent, on: day) else {
                return ["parent \(parent) is not in force on \(day), within \(unit.code)'s validity \(unit.validityDescription)"]
            }
            if !unit.level.allowedParents.contains(version.level) {
                return ["parent \(parent) is a \(version.level.rawValue); a \(unit.level.rawValue) sits under \(unit.level.allowedParents.map(\.rawValue).sorted().joined(separator: " or "))"]
            }
            guard let end = version.validTo else { return [] }
            if let childEnd = unit.validTo, childEnd <= end { return [] }
            day = end.adding(days: 1)
        }
        return []
    }
}
