import Foundation

/// JSON written by hand, byte for byte as ``APIJSON/encoder`` writes it (sorted keys, slashes as they are), for a
/// reply too large for `JSONEncoder`'s pace: a province's index grouped by commune is 600 KB, and encoding it took
/// 38 % of the request (Benchmarks/PROFILE.md). The caller writes the keys of each object in sorted order;
/// `IndexReplyJSONTests` holds the two encoders to the same bytes.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether a value was written in it, so the next one needs a comma first.
    private var written: [Bool] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Structure

    mutating func object(_ body: (inout JSONText) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        written.append(false)
        body(&self)
        written.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONText, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        written.append(false)
        for value in elements { element(&self, value) }
        written.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// `"name":`, after a comma unless it is the object's first; the value written next belongs to it.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        // The value that follows takes no comma of its own.
        written[written.count - 1] = false
    }

    // MARK: - Values

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// As `JSONEncoder` writes a Double: its shortest digits, without a trailing `.0`.
    mutating func number(_ value: Double) {
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A rare part written by ``APIJSON/encoder`` itself (the same bytes, nested).
    mutating func encoded(_ value: some Encodable) throws {
        separate()
        bytes.append(contentsOf: try APIJSON.encoder.encode(value))
    }

    // MARK: - Optionals, as the reply's fields are declared

    /// An `@ExplicitNull` field: the value, or `null`.
    mutating func explicit<Value>(_ name: StaticString, _ value: Value?, _ write: (inout JSONText, Value) -> Void) {
        key(name)
        if let value { write(&self, value) } else { null() }
    }

    /// A plain optional field: left out when nil, as `JSONEncoder` leaves it.
    mutating func ifPresent<Value>(_ name: StaticString, _ value: Value?, _ write: (inout JSONText, Value) -> Void) {
        guard let value else { return }
        key(name)
        write(&self, value)
    }

    private mutating func separate() {
        guard let last = written.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        written[written.count - 1] = true
    }
}
