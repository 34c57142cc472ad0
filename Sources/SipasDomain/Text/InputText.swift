import Foundation

/// The one rule for text that enters sipas, whatever carries it (JSON, web forms, CSV files, command-line
/// arguments, query strings): what is checked, stored, chained and compared is exactly this normal form.
///
/// - Unicode NFC: Vietnamese keyboards may send "ộ" precomposed (one code point) or decomposed (o + ̣ + ̂);
///   the database compares bytes, so without one form "Một cửa 1" would be two desks.
/// - No control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F), also at either end, and no
///   invisible bidirectional or zero-width formatting characters (``isRefused(_:kind:)``). SQLite's `length()`
///   stops at U+0000, and a hidden character makes a code that no one can type back. Free text
///   (``Kind/multiline``) keeps line feeds and tabs; a carriage return before a line feed (what browsers send)
///   becomes a line feed.
/// - Surrounding white space is trimmed.
/// - Lengths are counted in Unicode code points, as SQLite's `length()` and PostgreSQL's `char_length()` count
///   them, so a limit means the same in validation and in the schema's CHECK. A family emoji (👨‍👩‍👧‍👦) is
///   seven code points, one character on screen.
public enum InputText {
    /// Where a line break is allowed.
    public enum Kind: Sendable {
        /// Names, codes, labels: one line.
        case line
        /// Comments and notes: newlines and tabs allowed.
        case multiline
    }

    /// Longest code (procedure, dossier, desk…) accepted anywhere, in code points.
    public static let maximumCodeLength = 64
    /// Longest name or label accepted anywhere, in code points.
    public static let maximumNameLength = 200

    /// The length that every limit in sipas means: Unicode code points of the NFC text.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `raw` in normal form (trimmed NFC), or the problem that refuses it, naming `field`.
    ///
    /// Empty text after trimming is returned as "" (callers decide whether a field is required).
    public static func normalise(
        _ raw: String, field: String, kind: Kind = .line, maximumLength: Int
    ) -> Result<String, FieldProblem> {
        var text = raw.precomposedStringWithCanonicalMapping
        if kind == .multiline { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        // Checked before trimming, so a control character at either end is refused, not silently dropped.
        for (offset, scalar) in text.unicodeScalars.enumerated() where isRefused(scalar, kind: kind) {
            let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            let what =
                scalar.properties.generalCategory == .control ? "control character" : "invisible formatting character"
            return .failure(
                FieldProblem(field: field, message: "contains the \(what) \(code) at position \(offset + 1); remove it")
            )
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let length = Self.length(text)
        if length > maximumLength {
            return .failure(
                FieldProblem(
                    field: field,
                    message: "is \(length) characters long (Unicode code points); at most \(maximumLength)"))
        }
        return .success(text)
    }

    /// An optional code or name: nil when absent or empty; otherwise ``normalise(_:field:kind:maximumLength:)``.
    public static func optional(
        _ raw: String?, field: String, kind: Kind = .line, maximumLength: Int = maximumCodeLength
    ) -> Result<String?, FieldProblem> {
        guard let raw else { return .success(nil) }
        return normalise(raw, field: field, kind: kind, maximumLength: maximumLength).map { $0.isEmpty ? nil : $0 }
    }

    /// A required code or name: a problem when absent or empty.
    public static func required(
        _ raw: String?, field: String, kind: Kind = .line, maximumLength: Int = maximumCodeLength
    ) -> Result<String, FieldProblem> {
        optional(raw, field: field, kind: kind, maximumLength: maximumLength).flatMap { value in
            value.map(Result.success) ?? .failure(FieldProblem(field: field, message: "is required"))
        }
    }

    /// The byte-distinct spellings a filter on `text` must match: its NFC form, and its NFD form for rows stored
    /// before every entry point kept one form (they stay as sent: a response's desk is part of its chain).
    public static func spellings(_ text: String) -> [String] {
        let composed = text.precomposedStringWithCanonicalMapping
        let decomposed = text.decomposedStringWithCanonicalMapping
        return Array(composed.utf8) == Array(decomposed.utf8) ? [composed] : [composed, decomposed]
    }

    /// Whether `scalar` is refused in text of `kind`.
    ///
    /// Besides control characters, the invisible characters that make text read otherwise than it is stored are
    /// refused: the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)
    /// and zero-width space, word joiner and byte-order mark (U+200B, U+2060, U+FEFF). The zero-width joiners
    /// (U+200C, U+200D) stay: emoji such as 👨‍👩‍👧‍👦 are made with them.
    public static func isRefused(_ scalar: Unicode.Scalar, kind: Kind) -> Bool {
        if invisible.contains(scalar.value) { return true }
        guard scalar.properties.generalCategory == .control else { return false }
        return kind == .line || (scalar != "\n" && scalar != "\t")
    }

    private static let invisible: Set<UInt32> = Set(
        [0x061C, 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF] + Array(0x202A...0x202E) + Array(0x2066...0x2069))
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
