import Foundation
import GRDB
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Tally vectors: one stored row per cell")
struct TallyVectorTests {
    static func vector(_ entries: [(Int64, Int, Double, Double)]) -> TallyVector {
        TallyVector(entries.map { .init(key: $0.0, tally: Tally(count: $0.1, sum: $0.2, sumOfSquares: $0.3)) })
    }

    @Test("the blob reads back as written: large ids and counts, shares, keys with no share")
    func roundTrip() throws {
        let vector = Self.vector([
            (1, 1, 0, 0), (2, 300, 0.5, 0.25), (130, 1 << 40, 2.0 / 3, 4.0 / 9), (70_000, 7, 0, 0),
        ])
        #expect(try TallyVector(blob: vector.blob) == vector)
        #expect(try TallyVector(blob: TallyVector().blob) == TallyVector())
        // A cell of 130 keys of small counts and 6 shares stays a few hundred bytes.
        let cell = Self.vector((1...130).map { ($0, 3, $0 <= 6 ? 1.5 : 0, $0 <= 6 ? 0.75 : 0) })
        #expect(cell.blob.count < 400)
    }

    @Test("adding merges the keys and sums each, in SQL as in Swift")
    func adding() throws {
        let a = Self.vector([(1, 1, 0, 0), (3, 2, 0.5, 0.25)])
        let b = Self.vector([(2, 5, 0, 0), (3, 1, 1, 1), (9, 1, 0, 0)])
        var sum = a
        sum.add(b)
        #expect(sum == Self.vector([(1, 1, 0, 0), (2, 5, 0, 0), (3, 3, 1.5, 1.25), (9, 1, 0, 0)]))
        var accumulator = TallyAccumulator()
        try accumulator.add(blob: a.blob)
        try accumulator.add(blob: b.blob)
        #expect(accumulator.vector == sum)

        let queue = try DatabaseQueue()
        try queue.write { db in
            db.add(function: TallyVector.addFunction)
            let added = try Data.fetchOne(db, sql: "SELECT sipas_tally_add(?, ?)", arguments: [a.blob, b.blob])!
            #expect(try TallyVector(blob: added) == sum)
            let withNull = try Data.fetchOne(db, sql: "SELECT sipas_tally_add(NULL, ?)", arguments: [b.blob])!
            #expect(try TallyVector(blob: withNull) == b)
        }
    }

    @Test(
        "a blob that is not a tally vector stops the reading instead of counting as zero",
        arguments: [
            Named("empty", Data()), Named("another format", Data([2, 2, 1])),
            Named("a number cut short", Data([1, 0x82])), Named("a share cut short", Data([1, 3, 1, 0, 0])),
        ])
    func malformed(_ blob: Named<Data>) {
        #expect(throws: TallyVector.Malformed.self) { try TallyVector(blob: blob.value) }
        var accumulator = TallyAccumulator()
        #expect(throws: TallyVector.Malformed.self) { try accumulator.add(blob: blob.value) }
    }
}
