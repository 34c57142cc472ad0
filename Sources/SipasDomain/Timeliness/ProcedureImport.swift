/// Plans the import of a procedures catalogue (`code,name,field,level,legalDays,fullOnlineEligible,feeBearing`):
/// all or nothing, idempotent, problems by line.
public enum ProcedureImport {
    public static let header = ["code", "name", "field", "level", "legalDays", "fullOnlineEligible", "feeBearing"]

    /// The procedures to store (new or changed), with the summary; or every problem with its line.
    public static func plan(rows: [(line: Int, fields: [String])], existing: [Procedure]) -> Result<
        (changes: [Procedure], summary: ImportSummary), ImportRefused
    > {
        var problems: [LineProblem] = []
        var parsed: [(Int, Procedure)] = []
        var seen: [String: Int] = [:]
        for (line, f) in rows {
            var rowProblems: [String] = []
            let code = f[0].trimmed, name = f[1].trimmed, field = f[2].trimmed
            if code.isEmpty || code.count > 32 || code.contains(where: { $0.isWhitespace }) {
                rowProblems.append("code '\(f[0])' must be the national database code, e.g. 1.001193")
            }
            if name.isEmpty { rowProblems.append("name is empty") }
            if field.isEmpty { rowProblems.append("field is empty") }
            let level = UnitLevel(rawValue: f[3].trimmed)
            if level == nil || level == .province { rowProblems.append("level '\(f[3])' must be district or commune") }
            let days = Int(f[4].trimmed)
            if days == nil || days! < 0 || days! > 365 {
                rowProblems.append("legalDays '\(f[4])' must be a number of working days (0-365)")
            }
            let eligible = Bool(f[5].trimmed), fee = Bool(f[6].trimmed)
            if eligible == nil { rowProblems.append("fullOnlineEligible '\(f[5])' must be true or false") }
            if fee == nil { rowProblems.append("feeBearing '\(f[6])' must be true or false") }
            if let first = seen[code], !code.isEmpty {
                rowProblems.append("procedure \(code) is already on line \(first)")
            }
            seen[code] = seen[code] ?? line
            if rowProblems.isEmpty, let level, let days, let eligible, let fee {
                parsed.append(
                    (
                        line,
                        Procedure(
                            code: code, name: name, field: field, level: level, legalDays: days,
                            fullOnlineEligible: eligible, feeBearing: fee)
                    ))
            }
            problems += rowProblems.map { LineProblem(line: line, message: $0) }
        }
        if rows.isEmpty { problems.append(LineProblem(line: 1, message: "the file has no procedures")) }
        guard problems.isEmpty else { return .failure(ImportRefused(problems)) }
        let stored = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var summary = ImportSummary()
        var changes: [Procedure] = []
        for (_, procedure) in parsed {
            switch stored[procedure.code] {
            case nil: summary.created += 1; changes.append(procedure)
            case procedure?: summary.unchanged += 1
            default: summary.updated += 1; changes.append(procedure)
            }
        }
        return .success((changes, summary))
    }
}
