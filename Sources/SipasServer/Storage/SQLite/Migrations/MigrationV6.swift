import Crypto
import Foundation
import GRDB

// MARK: - v6, frozen
// What migration v6 did when it shipped (8e60f1a: migrateResponseChain, backfillResponseChain, chainRows,
// ChainedRecord.digest, ResponseChain and Digest.sha256Hex of that commit), copied here with types of its own so
// that no later change of the chain code can change the hashes v6 writes. The texts it hashes (`sipas-record/1`,
// `sipas-chain/1`, `sipas-comment/1`) are what `sipas verify` recomputes; the migration history test checks that
// today's code still agrees with them. Never edit: a different chain is a new migration.

/// Migration v6's own copy of the chain code it shipped with.
enum MigrationV6 {
    /// The chain columns, and the chain over the responses already stored, in seq order.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE response ADD COLUMN commentSalt TEXT CHECK (commentSalt IS NULL OR length(commentSalt) = 32);
                ALTER TABLE response ADD COLUMN commentDigest TEXT CHECK (commentDigest IS NULL OR length(commentDigest) = 64);
                ALTER TABLE response ADD COLUMN chainHash TEXT CHECK (chainHash IS NULL OR length(chainHash) = 64);
                """)
        try backfillResponseChain(db)
    }

    /// Chains every stored response from the genesis hash, in seq order, with a new salt for each comment.
    static func backfillResponseChain(_ db: Database) throws {
        let update = try db.makeStatement(
            sql: "UPDATE response SET commentSalt = ?, commentDigest = ?, chainHash = ? WHERE seq = ?")
        var previous = String(repeating: "0", count: 64)
        var after: Int64 = 0
        // Pages, not one cursor: the rows read are updated as we go.
        while true {
            let page = try rows(db, after: after)
            guard let last = page.last else { break }
            for var row in page {
                let salt = row.comment.map { _ in newSalt() }
                if let comment = row.comment, let salt {
                    row.fields.commentDigest = sha256Hex("sipas-comment/1\n\(salt)\n\(comment)")
                }
                previous = sha256Hex("sipas-chain/1\n\(previous)\n\(row.digest)")
                try update.execute(arguments: [salt, row.fields.commentDigest, previous, row.seq])
            }
            after = last.seq
        }
    }

    // MARK: - Types of its own

    /// The stored fields of a response the record covers, in the order they are hashed.
    private struct Fields {
        var id: String
        var survey: String
        var surveyVersion: Int
        var unitID: Int64
        var unit: String
        var deviceID: Int64?
        var desk: String?
        var procedure: String?
        var dossier: String?
        var channel: String
        var submittedAt: String
        var submittedDate: String
        var receivedAt: String
        var respondent: String?
        var contentHash: String
        var commentDigest: String?
    }

    /// A stored response with its comment, answers and expectations, as v6 chains it.
    private struct Record {
        let seq: Int64
        let comment: String?
        var fields: Fields
        var answers: [(item: String, value: Int)] = []
        var expectations: [String] = []

        /// SHA-256 of `sipas-record/1`: every value length-prefixed, answers and options sorted by their bytes.
        var digest: String {
            var text = "sipas-record/1\n"
            func field(_ name: String, _ value: String?) {
                guard let value else {
                    text += "\(name)-\n"
                    return
                }
                text += "\(name)=\(value.utf8.count):\(value)\n"
            }
            field("id", fields.id)
            field("survey", fields.survey)
            field("surveyVersion", String(fields.surveyVersion))
            field("unitId", String(fields.unitID))
            field("unit", fields.unit)
            field("deviceId", fields.deviceID.map(String.init))
            field("desk", fields.desk)
            field("procedure", fields.procedure)
            field("dossier", fields.dossier)
            field("channel", fields.channel)
            field("submittedAt", fields.submittedAt)
            field("submittedDate", fields.submittedDate)
            field("receivedAt", fields.receivedAt)
            field("respondent", fields.respondent)
            field("contentHash", fields.contentHash)
            field("commentDigest", fields.commentDigest)
            for answer in answers.sorted(by: { Self.precedes($0.item, $1.item) }) {
                field("answer", answer.item)
                field("value", String(answer.value))
            }
            for option in expectations.sorted(by: Self.precedes) { field("expectation", option) }
            return MigrationV6.sha256Hex(text)
        }

        /// Byte order, independent of Unicode collation.
        private static func precedes(_ a: String, _ b: String) -> Bool {
            a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }

    // MARK: - Reading

    /// Up to 5000 responses after `seq`, in seq order, with their answers and expectations.
    private static func rows(_ db: Database, after seq: Int64) throws -> [Record] {
        var records = try Row.fetchAll(
            db,
            sql: """
                SELECT seq, id, survey, surveyVersion, unitId, unit, deviceId, desk, procedure, dossier, channel, submittedAt,
                       submittedDate, receivedAt, respondent, contentHash, comment, commentDigest
                FROM response WHERE seq > ? ORDER BY seq LIMIT 5000
                """, arguments: [seq]
        ).map { row in
            Record(
                seq: row["seq"], comment: row["comment"],
                fields: Fields(
                    id: row["id"], survey: row["survey"], surveyVersion: row["surveyVersion"], unitID: row["unitId"],
                    unit: row["unit"], deviceID: row["deviceId"], desk: row["desk"], procedure: row["procedure"],
                    dossier: row["dossier"], channel: row["channel"], submittedAt: row["submittedAt"],
                    submittedDate: row["submittedDate"], receivedAt: row["receivedAt"], respondent: row["respondent"],
                    contentHash: row["contentHash"], commentDigest: row["commentDigest"]))
        }
        guard let first = records.first?.seq, let last = records.last?.seq else { return [] }
        var index: [Int64: Int] = [:]
        for (position, record) in records.enumerated() { index[record.seq] = position }
        for row in try Row.fetchAll(
            db, sql: "SELECT responseSeq, item, value FROM response_answer WHERE responseSeq BETWEEN ? AND ?",
            arguments: [first, last])
        {
            if let position = index[row["responseSeq"]] {
                records[position].answers.append((item: row["item"], value: row["value"]))
            }
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT responseSeq, option FROM response_expectation WHERE responseSeq BETWEEN ? AND ?",
            arguments: [first, last])
        {
            if let position = index[row["responseSeq"]] { records[position].expectations.append(row["option"]) }
        }
        return records
    }

    // MARK: - Hashing

    /// The SHA-256 of the text's UTF-8 bytes, 64 lower-case hex digits.
    private static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Data(text.utf8))))
    }

    /// 128 random bits as hex.
    private static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
