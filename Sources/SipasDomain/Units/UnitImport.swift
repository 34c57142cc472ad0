/// One row of a units file (`code,name,level,parent,validFrom,validTo[,formedFrom,formedBy]`) as read, with its
/// line number.
public struct UnitRow: Hashable, Sendable {
    public var line: Int
    public var code: String
    public var name: String
    public var level: String
    public var parent: String
    public var validFrom: String
    public var validTo: String
    /// The units it was formed from: codes separated by `;`, each `CODE` or `CODE:part` (taken over in part); the
    /// version meant is the one in force the day before `validFrom`. Empty for none.
    public var formedFrom: String
    /// The text that formed it (resolution and article); required with `formedFrom`.
    public var formedBy: String
    /// The file has the `formedFrom,formedBy` columns; without them, a stored succession is kept as it is.
    public var hasSuccession: Bool

    public init(
        line: Int, code: String, name: String, level: String, parent: String, validFrom: String, validTo: String,
        formedFrom: String = "",
        formedBy: String = "", hasSuccession: Bool = true
    ) {
        self.line = line
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
        self.formedFrom = formedFrom
        self.formedBy = formedBy
        self.hasSuccession = hasSuccession
    }
}

/// Plans the import of a units file against what is stored: all or nothing, and re-importing the
/// same file changes nothing.
public enum UnitImport {
    /// The header of a units file without succession.
    public static let header = ["code", "name", "level", "parent", "validFrom", "validTo"]
    /// The header of a units file that says what each new unit was formed from.
    public static let headerWithSuccession = header + ["formedFrom", "formedBy"]

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
                    problems.append(
                        .init(
                            line: row.line,
                            message: "unit \(unit.code) valid from \(unit.validFrom) is already on line \(first)"))
                } else {
                    seenKeys[key] = row.line
                    parsed.append((row.line, unit))
                }
            }
        }
        if rows.isEmpty { problems.append(.init(line: 1, message: "the file has no units")) }
        guard problems.isEmpty else { return .failure(ImportRefused(problems)) }

        // A predecessor named by code is the version in force the day before its successor starts.
        var register: [String: AdministrativeUnit] = [:]
        for unit in existing { register[unit.key] = unit }
        for (_, unit) in parsed { register[unit.key] = unit }
        let lookup = UnitDirectory(Array(register.values))
        let withSuccession = Set(rows.filter(\.hasSuccession).map(\.line))
        for index in parsed.indices {
            let (line, unit) = parsed[index]
            // A file without the succession columns says nothing about it: the stored succession stays.
            guard withSuccession.contains(line) else {
                if let stored = existing.first(where: { $0.key == unit.key }) {
                    parsed[index].unit.formedFrom = stored.formedFrom
                    parsed[index].unit.formedBy = stored.formedBy
                }
                continue
            }
            let eve = unit.validFrom.adding(days: -1)
            parsed[index].unit.formedFrom = unit.formedFrom.compactMap { named in
                guard let version = lookup.unit(named.code, on: eve) else {
                    problems.append(
                        .init(
                            line: line,
                            message:
                                "formedFrom: \(named.code) is not in force on \(eve), the day before \(unit.code) starts"
                        ))
                    return nil
                }
                return Predecessor(code: version.code, validFrom: version.validFrom, part: named.part)
            }
        }
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
        let lineOf = Dictionary(
            parsed.map { ("\($0.unit.code)@\($0.unit.validFrom)", $0.line) }, uniquingKeysWith: { a, _ in a })

        for (line, unit) in parsed {
            // Overlap with another version of the same code.
            for other in directory.all where other.code == unit.code && other.validFrom != unit.validFrom {
                let overlaps =
                    other.validFrom <= (unit.validTo ?? LocalDate(year: 9999, month: 12, day: 31)!)
                    && unit.validFrom <= (other.validTo ?? LocalDate(year: 9999, month: 12, day: 31)!)
                if overlaps {
                    let whereFrom =
                        lineOf["\(other.code)@\(other.validFrom)"].map { "line \($0)" } ?? "the stored units"
                    problems.append(
                        .init(
                            line: line,
                            message:
                                "unit \(unit.code) \(unit.validityDescription) overlaps its version \(other.validityDescription) from \(whereFrom)"
                        ))
                }
            }
            if let parent = unit.parent {
                problems += parentProblems(unit, parent: parent, in: directory).map {
                    LineProblem(line: line, message: $0)
                }
            }
        }
        // Successions, over the whole register (stored and file): each predecessor in force the day before its
        // successor starts and of the same level; one taken over whole by a unit cannot go to another.
        var takenWhole: [String: String] = [:]
        var takenAtAll: [String: [String]] = [:]
        for unit in directory.all {
            for predecessor in unit.formedFrom {
                let line = lineOf[unit.key] ?? lineOf[predecessor.key] ?? 1
                takenAtAll[predecessor.key, default: []].append(unit.key)
                if !predecessor.part { takenWhole[predecessor.key] = unit.key }
                guard let version = directory.version(predecessor.code, from: predecessor.validFrom),
                    version.isInForce(on: unit.validFrom.adding(days: -1))
                else {
                    problems.append(
                        .init(
                            line: line,
                            message:
                                "formedFrom: \(predecessor.key) of \(unit.key) is no longer in force on \(unit.validFrom.adding(days: -1)), the day before \(unit.code) starts"
                        ))
                    continue
                }
                if version.level != unit.level {
                    problems.append(
                        .init(
                            line: line,
                            message:
                                "formedFrom: \(predecessor.key) is a \(version.level.rawValue); a \(unit.level.rawValue) is formed from units of its own level"
                        ))
                }
            }
        }
        for (key, successors) in takenAtAll where successors.count > 1 {
            if let whole = takenWhole[key] {
                let others = successors.filter { $0 != whole }
                let line = ([whole] + others).compactMap { lineOf[$0] }.min() ?? 1
                problems.append(
                    .init(
                        line: line,
                        message:
                            "\(key) is taken over whole by \(whole) and also by \(others.joined(separator: ", ")); mark the parts (CODE:part)"
                    ))
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
            problems.append(
                "level '\(row.level)' is not one of \(UnitLevel.allCases.map(\.rawValue).joined(separator: ", "))")
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
            if validTo == nil {
                problems.append("validTo '\(row.validTo)' is not a date YYYY-MM-DD (or empty while still valid)")
            }
        }
        if let validFrom, let validTo, validTo < validFrom {
            problems.append("validTo \(validTo) is before validFrom \(validFrom)")
        }
        if level == .province && !parent.isEmpty { problems.append("a province has no parent, got '\(parent)'") }
        if let level, level != .province && parent.isEmpty { problems.append("a \(level.rawValue) needs a parent") }
        if parent == code && !code.isEmpty { problems.append("a unit cannot be its own parent") }
        // formedFrom: "CODE;CODE:part;…"; the versions are resolved against the register in `plan`.
        var formedFrom: [Predecessor] = []
        for item in row.formedFrom.split(separator: ";").map({ String($0).trimmed }) where !item.isEmpty {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmed }
            let predecessorCode = parts[0]
            let part = parts.count == 2 && parts[1] == "part"
            guard !predecessorCode.isEmpty, predecessorCode.allSatisfy({ $0.isASCII && $0.isNumber }),
                parts.count == 1 || part
            else {
                problems.append("formedFrom '\(item)' is not a unit code, or a code followed by :part")
                continue
            }
            if formedFrom.contains(where: { $0.code == predecessorCode }) {
                problems.append("formedFrom names \(predecessorCode) twice")
            }
            formedFrom.append(
                Predecessor(code: predecessorCode, validFrom: LocalDate(year: 1900, month: 1, day: 1)!, part: part))
        }
        let formedBy = row.formedBy.trimmed
        if !formedFrom.isEmpty && formedBy.isEmpty {
            problems.append("formedBy must name the text that formed it (resolution and article)")
        }
        if formedFrom.isEmpty && !formedBy.isEmpty { problems.append("formedBy is given without formedFrom") }

        guard problems.isEmpty, let level, let validFrom else {
            return .failure(ImportRefused(problems.map { LineProblem(line: row.line, message: $0) }))
        }
        return .success(
            AdministrativeUnit(
                code: code, name: name, level: level, parent: parent.isEmpty ? nil : parent, validFrom: validFrom,
                validTo: validTo,
                formedFrom: formedFrom, formedBy: formedBy.isEmpty ? nil : formedBy))
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
                return [
                    "parent \(parent) is not in force on \(day), within \(unit.code)'s validity \(unit.validityDescription)"
                ]
            }
            if !unit.level.allowedParents.contains(version.level) {
                return [
                    "parent \(parent) is a \(version.level.rawValue); a \(unit.level.rawValue) sits under \(unit.level.allowedParents.map(\.rawValue).sorted().joined(separator: " or "))"
                ]
            }
            guard let end = version.validTo else { return [] }
            if let childEnd = unit.validTo, childEnd <= end { return [] }
            day = end.adding(days: 1)
        }
        return []
    }
}
