import Foundation
import GRDB
import SipasDomain

// MARK: - The response chain
// Each accepted response is chained to the one before it (by seq): its `chainHash` is the SHA-256 of the
// previous hash and of its record digest. Editing, removing or reordering a stored response changes
// every hash after it, and the head hash an office writes into its monthly report no longer matches.
// Retention erases free comments, so the chain covers a salted digest of the comment, never its text.

/// What the chain covers of one stored response: every stored field, its answers and expectations, and
/// instead of the free comment (erased by retention) the comment's digest, which is kept.
struct ChainedRecord: Sendable {
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
    /// In any order: the digest sorts them.
    var answers: [ValidResponse.Answer]
    /// In any order: the digest sorts them.
    var expectations: [String]

    /// SHA-256 of a canonical text of the record. Every value is length-prefixed, so no value can imitate
    /// a separator, and answers and options are sorted by their bytes, so the order rows come back in
    /// from SQLite does not matter.
    var digest: String {
        var text = "sipas-record/1\n"
        func field(_ name: String, _ value: String?) {
            guard let value else {
                text += "\(name)-\n"
                return
            }
            text += "\(name)=\(value.utf8.count):\(value)\n"
        }
        field("id", id)
        field("survey", survey)
        field("surveyVersion", String(surveyVersion))
        field("unitId", String(unitID))
        field("unit", unit)
        field("deviceId", deviceID.map(String.init))
        field("desk", desk)
        field("procedure", procedure)
        field("dossier", dossier)
        field("channel", channel)
        field("submittedAt", submittedAt)
        field("submittedDate", submittedDate)
        field("receivedAt", receivedAt)
        field("respondent", respondent)
        field("contentHash", contentHash)
        field("commentDigest", commentDigest)
        for answer in answers.sorted(by: { Self.precedes($0.item, $1.item) }) {
            field("answer", answer.item)
            field("value", String(answer.value))
        }
        for option in expectations.sorted(by: Self.precedes) { field("expectation", option) }
        return SHA256Hex.of(text)
    }

    /// Byte order, independent of Unicode collation.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// The hashes of the chain.
enum ResponseChain {
    /// The "previous hash" of the first response.
    static let genesis = String(repeating: "0", count: 64)

    /// The chain hash of a record that follows `previous`.
    static func link(after previous: String, record digest: String) -> String {
        SHA256Hex.of("sipas-chain/1\n\(previous)\n\(digest)")
    }

    /// The digest of a free comment. The random salt is erased with the comment, so the digest that stays
    /// cannot be used to confirm a guessed comment afterwards.
    static func commentDigest(_ comment: String, salt: String) -> String {
        SHA256Hex.of("sipas-comment/1\n\(salt)\n\(comment)")
    }

    /// 128 random bits as hex.
    static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return SHA256Hex.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

/// The chain's state: how many responses are stored and the last one's hash, read in one snapshot.
/// An office writes both into its monthly report; a later `sipas verify --head` checks it is still there.
public struct ChainHead: Sendable, Hashable, Codable {
    public let count: Int
    public let head: String
}

extension SQLiteDatabase {
    // MARK: - Reading the chain

    /// Up to `limit` responses after `seq`, in seq order, with their answers and expectations.
    static func chainRows(_ db: Database, after seq: Int64, limit: Int = 5_000) throws -> [StoredChainRow] {
        let request: SQLRequest<StoredChainRow> = """
            SELECT \(columnsOf: StoredChainRow.self) FROM response WHERE \(StoredChainRow.Columns.seq) > \(seq)
            ORDER BY \(StoredChainRow.Columns.seq) LIMIT \(limit)
            """
        var rows = try request.fetchAll(db)
        guard let first = rows.first?.seq, let last = rows.last?.seq else { return [] }
        let contents = try ResponseContents.load(db, where: "r.seq BETWEEN \(first) AND \(last)")
        for position in rows.indices {
            rows[position].record.answers = contents.answers(of: rows[position].seq)
            rows[position].record.expectations = contents.expectations(of: rows[position].seq)
        }
        return rows
    }

    /// The hash the next response is chained to: the last stored one's, or the genesis hash.
    static func lastChainHash(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT chainHash FROM response ORDER BY seq DESC LIMIT 1")
            ?? ResponseChain.genesis
    }

    static func chainHead(_ db: Database) throws -> ChainHead {
        ChainHead(count: try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0, head: try lastChainHash(db))
    }

    /// The number of responses and the chain's head, from one snapshot.
    public func chainHead() async throws -> ChainHead {
        try await writer.read { db in try Self.chainHead(db) }
    }
}
