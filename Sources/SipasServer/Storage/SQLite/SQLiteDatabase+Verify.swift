import Foundation
import GRDB
import SipasDomain

/// One check of `sipas verify`: what it looked at, and the faults it found (none: ok).
public struct IntegrityCheck: Sendable {
    public let name: String
    /// What was checked, e.g. "6000 responses, head 3fa2…".
    public var summary: String
    /// At most a few dozen, each naming what is wrong.
    public var faults: [String]

    public var isOK: Bool { faults.isEmpty }
}

/// Where the chain breaks: the first response whose hash does not follow from its record and the hash
/// before it.
public struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    public let seq: Int64
    public let id: String
    public let reason: String

    public var description: String { "seq \(seq) (id \(id)): \(reason)" }
}

/// The chain recomputed from seq 1.
public struct ChainVerification: Sendable {
    public var count = 0
    public var head = ResponseChain.genesis
    /// In seq order; after a break the check goes on from the stored hash, so one edit is one break.
    public var breaks: [ChainBreak] = []
    /// Whether the head given to check (from an earlier report) is one of the chain's hashes.
    public var containsExpectedHead: Bool?
}

/// Everything `sipas verify` found, in the order checked.
public struct VerificationReport: Sendable {
    public var checks: [IntegrityCheck]
    public var chain: ChainVerification?

    public var isOK: Bool { checks.allSatisfy(\.isOK) }
}

extension SQLiteDatabase {
    /// Checks the file, the foreign keys, the aggregates against the raw responses and the response chain,
    /// all from one snapshot, so it can run while the server writes.
    /// - Parameter expectedHead: a head from an earlier `GET /v1/integrity`, which must still be in the chain.
    public func verify(expectedHead: String? = nil) throws -> VerificationReport {
        do {
            return try writer.read { db in Self.verify(db, expectedHead: expectedHead) }
        } catch {
            // A damaged file can fail the snapshot itself.
            return VerificationReport(checks: [
                IntegrityCheck(name: "database", summary: "could not be read", faults: ["\(error)"])
            ])
        }
    }

    static func verify(_ db: Database, expectedHead: String? = nil, aggregates: Bool = true) -> VerificationReport {
        var report = VerificationReport(checks: [integrityCheck(db), foreignKeyCheck(db)])
        if aggregates { report.checks.append(check("aggregates", db, tallyCheck)) }
        var chain: ChainVerification?
        report.checks.append(
            check("response chain", db) { db in
                let verification = try verifyChain(db, expectedHead: expectedHead)
                chain = verification
                return chainCheck(verification, expectedHead: expectedHead)
            })
        report.chain = chain
        return report
    }

    /// Runs a check; an error reading the database is its fault.
    static func check(_ name: String, _ db: Database, _ body: (Database) throws -> IntegrityCheck) -> IntegrityCheck {
        do {
            return try body(db)
        } catch {
            return IntegrityCheck(name: name, summary: "could not be read", faults: ["\(error)"])
        }
    }

    // MARK: - SQLite

    static func integrityCheck(_ db: Database) -> IntegrityCheck {
        check("integrity_check", db) { db in
            let messages = try String.fetchAll(db, sql: "PRAGMA integrity_check(50)")
            return IntegrityCheck(
                name: "integrity_check", summary: "the SQLite file", faults: messages == ["ok"] ? [] : messages)
        }
    }

    static func foreignKeyCheck(_ db: Database) -> IntegrityCheck {
        check("foreign keys", db) { db in
            // Counted by table, since the answer tables have no rowid to name a row by.
            var missing: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                missing["\(row["table"] as String? ?? "?") → \(row["parent"] as String? ?? "?")", default: 0] += 1
            }
            let faults = missing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value) rows refer to a missing row" }
            return IntegrityCheck(name: "foreign keys", summary: "every reference", faults: faults)
        }
    }

    // MARK: - Chain

    /// Recomputes the chain from the genesis hash, in seq order, page by page.
    static func verifyChain(_ db: Database, expectedHead: String? = nil) throws -> ChainVerification {
        var result = ChainVerification()
        var previousHash = ResponseChain.genesis
        var previousSeq: Int64 = 0
        var foundHead = false
        while true {
            let page = try chainRows(db, after: previousSeq)
            guard let last = page.last else { break }
            for row in page {
                let record = row.record
                func broken(_ reason: String) {
                    result.breaks.append(ChainBreak(seq: row.seq, id: record.id, reason: reason))
                }
                let expected = ResponseChain.link(after: previousHash, record: record.digest)
                if let stored = row.chainHash {
                    if stored != expected {
                        // Seq only grows by one, so a gap before a broken link is a removed response.
                        let gap =
                            previousSeq + 1 == row.seq - 1
                            ? "seq \(row.seq - 1)" : "seq \(previousSeq + 1)…\(row.seq - 1)"
                        broken(
                            row.seq != previousSeq + 1
                                ? "the response(s) before it (\(gap)) were removed"
                                : "its fields, answers or expectations differ from when it was chained")
                    } else if let comment = row.comment,
                        row.commentSalt.map({ ResponseChain.commentDigest(comment, salt: $0) }) != record.commentDigest
                    {
                        broken("its comment differs from when it was chained")
                    }
                    previousHash = stored
                } else {
                    broken("it has no chain hash")
                    previousHash = expected
                }
                if previousHash == expectedHead { foundHead = true }
                previousSeq = row.seq
                result.count += 1
            }
            previousSeq = last.seq
        }
        result.head = previousHash
        if expectedHead != nil { result.containsExpectedHead = foundHead || expectedHead == ResponseChain.genesis }
        return result
    }

    static func chainCheck(_ chain: ChainVerification, expectedHead: String?) -> IntegrityCheck {
        var faults = chain.breaks.prefix(20).map(\.description)
        if chain.breaks.count > 20 { faults.append("… and \(chain.breaks.count - 20) more broken links") }
        if let expectedHead, chain.containsExpectedHead == false {
            faults.append(
                "the head \(expectedHead) reported earlier is not in the chain: responses were removed from its end or rewritten"
            )
        }
        return IntegrityCheck(
            name: "response chain", summary: "\(chain.count) responses, head \(chain.head)", faults: faults)
    }
}
