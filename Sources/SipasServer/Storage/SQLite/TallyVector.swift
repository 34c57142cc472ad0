import Foundation
import GRDB
import SipasDomain

/// The tallies of one aggregate row, keyed by the row ids of their keys in `tally_key`, in key order: what a
/// `tally_unit` or `tally_cell` row holds in its `sheet` column, one row for all the keys of a cell.
///
/// Stored as a blob (format 1): a format byte, then per key in increasing id order
/// `varint((id - previous id) << 1 | hasShares)`, `varint(count)` and, when `hasShares`, the sum and the sum
/// of squares as little-endian Float64. A cell of the sipas questionnaire (about 130 keys) takes a few
/// hundred bytes, so one row replaces the ~130 rows per cell of a key-per-row layout.
struct TallyVector: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var key: Int64
        var tally: Tally
    }

    /// Sorted by key, one entry per key.
    private(set) var entries: [Entry] = []

    init() {}

    /// From entries in any order; tallies of a repeated key add up.
    init(_ unsorted: [Entry]) {
        for entry in unsorted.sorted(by: { $0.key < $1.key }) {
            if let last = entries.last, last.key == entry.key {
                entries[entries.count - 1].tally += entry.tally
            } else {
                entries.append(entry)
            }
        }
    }

    static let format: UInt8 = 1

    /// Adds another vector into this one (a merge of the two sorted lists).
    mutating func add(_ other: TallyVector) {
        guard !other.entries.isEmpty else { return }
        guard !entries.isEmpty else {
            entries = other.entries
            return
        }
        var merged: [Entry] = []
        merged.reserveCapacity(max(entries.count, other.entries.count))
        var i = 0, j = 0
        while i < entries.count || j < other.entries.count {
            if j == other.entries.count || (i < entries.count && entries[i].key < other.entries[j].key) {
                merged.append(entries[i])
                i += 1
            } else if i == entries.count || other.entries[j].key < entries[i].key {
                merged.append(other.entries[j])
                j += 1
            } else {
                merged.append(Entry(key: entries[i].key, tally: entries[i].tally + other.entries[j].tally))
                i += 1
                j += 1
            }
        }
        entries = merged
    }

    // MARK: - The stored form

    /// The blob of format 1.
    var blob: Data {
        var bytes: [UInt8] = [Self.format]
        bytes.reserveCapacity(1 + entries.count * 4)
        var previous: Int64 = 0
        for entry in entries {
            let hasShares = entry.tally.sum != 0 || entry.tally.sumOfSquares != 0
            Self.appendVarint(UInt64(entry.key - previous) << 1 | (hasShares ? 1 : 0), to: &bytes)
            Self.appendVarint(UInt64(max(0, entry.tally.count)), to: &bytes)
            if hasShares {
                Self.appendDouble(entry.tally.sum, to: &bytes)
                Self.appendDouble(entry.tally.sumOfSquares, to: &bytes)
            }
            previous = entry.key
        }
        return Data(bytes)
    }

    /// Reads a blob of format 1. Throws ``Malformed`` for anything else: a tally that cannot be read must stop the
    /// query rather than be counted as zero.
    init(blob: Data) throws {
        try blob.withUnsafeBytes { bytes in
            try Self.read(bytes) { key, tally in entries.append(Entry(key: key, tally: tally)) }
        }
    }

    /// A blob that is not a tally vector of a known format.
    struct Malformed: Error, CustomStringConvertible {
        let reason: String
        var description: String { "a stored tally cannot be read: \(reason)" }
    }

    /// Calls `body` with each key and tally of a blob, in key order, without building a vector.
    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, _ body: (Int64, Tally) throws -> Void) throws {
        guard bytes.first == format else {
            throw Malformed(reason: bytes.isEmpty ? "empty" : "format \(bytes[0]), not \(format)")
        }
        var offset = 1
        var key: Int64 = 0
        while offset < bytes.count {
            let head = try varint(bytes, &offset)
            let count = try varint(bytes, &offset)
            key += Int64(head >> 1)
            var tally = Tally(count: Int(count))
            if head & 1 == 1 {
                tally.sum = try double(bytes, &offset)
                tally.sumOfSquares = try double(bytes, &offset)
            }
            try body(key, tally)
        }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Malformed(reason: "a number runs past the end")
    }

    private static func double(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) throws -> Double {
        guard offset + 8 <= bytes.count else { throw Malformed(reason: "a share runs past the end") }
        var bits: UInt64 = 0
        withUnsafeMutableBytes(of: &bits) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8]))
        }
        offset += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }
}

// MARK: - Adding up many rows

/// Sums the `sheet` blobs of many rows into dense arrays indexed by key id, so a query's rows are added without
/// building a vector per row.
struct TallyAccumulator {
    private var counts: [Int] = []
    private var sums: [Double] = []
    private var squares: [Double] = []

    /// Adds one stored blob. The three arrays are moved out while the blob is read, so each addition writes
    /// through a plain pointer instead of checking the array's uniqueness and exclusive access per key (which
    /// profiling showed costing more than the reading itself).
    mutating func add(blob: Data) throws {
        var counts = self.counts, sums = self.sums, squares = self.squares
        self.counts = []
        self.sums = []
        self.squares = []
        defer { (self.counts, self.sums, self.squares) = (counts, sums, squares) }
        var wider: [(Int, Tally)] = []
        try blob.withUnsafeBytes { bytes in
            try counts.withUnsafeMutableBufferPointer { counts in
                try sums.withUnsafeMutableBufferPointer { sums in
                    try squares.withUnsafeMutableBufferPointer { squares in
                        try TallyVector.read(bytes) { key, tally in
                            let index = Int(key)
                            guard index < counts.count else {
                                wider.append((index, tally))
                                return
                            }
                            counts[index] += tally.count
                            sums[index] += tally.sum
                            squares[index] += tally.sumOfSquares
                        }
                    }
                }
            }
        }
        // Keys beyond the arrays (the first rows, or a key added since): grow, then add.
        for (index, tally) in wider {
            if index >= counts.count {
                let size = max(index + 1, 256, counts.count * 2)
                counts += Array(repeating: 0, count: size - counts.count)
                sums += Array(repeating: 0, count: size - sums.count)
                squares += Array(repeating: 0, count: size - squares.count)
            }
            counts[index] += tally.count
            sums[index] += tally.sum
            squares[index] += tally.sumOfSquares
        }
    }

    /// The sums, by key id.
    var vector: TallyVector {
        TallyVector(
            counts.indices.compactMap { index in
                counts[index] == 0 && sums[index] == 0 && squares[index] == 0
                    ? nil
                    : TallyVector.Entry(
                        key: Int64(index),
                        tally: Tally(count: counts[index], sum: sums[index], sumOfSquares: squares[index]))
            })
    }
}

// MARK: - The SQL function

extension TallyVector {
    /// `sipas_tally_add(a, b)`: the blob of the sum of two stored vectors (NULL counts as empty). The upserts of the
    /// writer use it (`ON CONFLICT DO UPDATE SET sheet = sipas_tally_add(sheet, excluded.sheet)`), so adding a
    /// group's tallies into a row is one statement.
    static let addFunction = DatabaseFunction("sipas_tally_add", argumentCount: 2, pure: true) { values in
        var sum = TallyVector()
        for value in values where !value.isNull {
            guard let data = Data.fromDatabaseValue(value) else { throw Malformed(reason: "not a blob") }
            sum.add(try TallyVector(blob: data))
        }
        return sum.blob
    }
}
