import Foundation
import SipasDomain

/// A CSV record with the line it starts on (the header is line 1).
struct CSVRecord: Sendable {
    let line: Int
    let fields: [String]
}

/// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, an optional UTF-8 byte-order mark).
///
/// Written here rather than taken from a package because import errors must name the physical line of
/// each record, which the CSV packages available to us do not report.
enum CSVReader {
    /// The records of an imported file, every field in the one text form (see `normalised`).
    static func records(_ text: String) throws -> [CSVRecord] {
        try normalised(parse(text))
    }

    /// The records exactly as RFC 4180 reads them, any text allowed.
    static func parse(_ text: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0

        func endRecord() {
            fields.append(field)
            field = ""
            // A blank line is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields = []
        }

        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if inQuotes {
                if c == "\"" {
                    if index < scalars.count && scalars[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                if index < scalars.count && scalars[index] == "\n" { index += 1 }
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote {
                    throw ImportRefused([LineProblem(line: line, message: "unexpected text after a closing quote")])
                }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ImportRefused([LineProblem(line: recordLine, message: "a quoted field is never closed")]) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// Every field in the one text form (``InputText``): NFC, and no control character anywhere (no field of
    /// sipas's files is free text, so a line break or tab inside quotes is refused too).
    private static func normalised(_ records: [CSVRecord]) throws -> [CSVRecord] {
        var problems: [LineProblem] = []
        let result = records.map { record in
            CSVRecord(
                line: record.line,
                fields: record.fields.enumerated().map { column, value in
                    let text = value.precomposedStringWithCanonicalMapping
                    if let scalar = text.unicodeScalars.first(where: { InputText.isRefused($0, kind: .line) }) {
                        let code = String(format: "U+%04X", scalar.value)
                        problems.append(
                            LineProblem(
                                line: record.line, message: "field \(column + 1) contains the control character \(code)"
                            ))
                    }
                    return text
                })
        }
        if !problems.isEmpty { throw ImportRefused(problems) }
        return result
    }

    /// The records after a header that must be exactly `header`; each record must have as many fields.
    static func table(_ text: String, header: [String]) throws -> [CSVRecord] {
        let all = try records(text)
        guard let first = all.first else { throw ImportRefused([LineProblem(line: 1, message: "the file is empty")]) }
        let given = first.fields.map { $0.trimmed }
        guard given == header else {
            throw ImportRefused([
                LineProblem(
                    line: first.line,
                    message: "the header must be \(header.joined(separator: ",")), got \(given.joined(separator: ","))")
            ])
        }
        var problems: [LineProblem] = []
        for record in all.dropFirst() where record.fields.count != header.count {
            problems.append(
                LineProblem(
                    line: record.line, message: "has \(record.fields.count) fields, the header has \(header.count)"))
        }
        if !problems.isEmpty { throw ImportRefused(problems) }
        return Array(all.dropFirst())
    }
}
