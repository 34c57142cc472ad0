import Foundation
import GRDB
import SipasDomain

/// A valid response ready to store: resolved to its unit version and sender, with its content hash.
struct PreparedResponse: Sendable {
    let response: ValidResponse
    let unitID: Int64
    let unitCode: String
    let deviceID: Int64?
    let desk: String?
    let contentHash: String
    /// What the response adds to the index aggregates.
    let tallies: TallySheet
    /// When the server received it (the request's time, not the commit's).
    let receivedAt: Date
    /// The one-time ticket it came from, used in the same transaction that stores it.
    var ticketID: String? = nil
    /// The web form sets `submittedAt` itself, so it is not part of the content (see `canonicalContent`).
    var timeSetByServer = false
}

/// What is stored for an id: the acknowledgement a client gets, the first time and on every resend.
struct ResponseReceipt: Sendable, Hashable, Codable {
    let id: String
    let receivedAt: String
}

/// The result of storing one response.
enum StoreOutcome: Sendable, Hashable {
    /// Stored now.
    case created(ResponseReceipt)
    /// Already stored with the same content: the first acknowledgement again.
    case replayed(ResponseReceipt)
    /// Already stored with different content; nothing was changed. `differences` name the fields that differ.
    case conflict(id: String, differences: [FieldProblem])
    /// The ticket it came from was already used by another response; nothing was stored.
    case ticketUsed(id: String)
    /// The database refused this response alone (a rule of the schema that validation did not catch);
    /// nothing of it was stored, and sending it again will not help. Answered 422.
    case refused(id: String, problem: FieldProblem)
    /// Storing this response alone failed for a reason that is not the response's; answered 500.
    case failed(id: String)
}

// MARK: - Storing responses

extension SQLiteDatabase {
    /// Stores responses in one transaction and returns one outcome each, in order.
    ///
    /// A duplicate id is detected by the UNIQUE constraint inside the INSERT (`ON CONFLICT DO NOTHING`),
    /// so simultaneous resends cannot both insert; only then is the stored hash read, to tell a resend
    /// from a different response reusing the id. Nothing is acknowledged before the commit returns.
    ///
    /// Each response stored is chained to the one before it (see `SQLiteDatabase+Chain.swift`): the last hash
    /// is read once, then carried through the group in order; a replay or conflict does not advance it.
    ///
    /// With `isolating`, each response is stored inside its own savepoint, so one that the database refuses
    /// is rolled back alone (``StoreOutcome/refused(id:problem:)``) and the others still commit. The group
    /// commit uses this only to re-run a group whose fast, savepoint-free transaction failed.
    /// Errors of the database itself (I/O, disk full, busy, corrupt) still fail the whole transaction.
    ///
    /// With a `check`, each request's premise (its device and units revision) is confirmed first, in the same
    /// transaction, and only the responses of the requests whose premise holds are stored and given an outcome.
    func store(_ responses: [PreparedResponse], isolating: Bool = false, checking check: CommitCheck? = nil)
        async throws -> [StoreOutcome]
    {
        try await writer.write { db in
            let admitted = try check?.admitted(responses, db) ?? responses
            // Outside any savepoint: a key id must commit or roll back with the whole transaction.
            try tallyKeys.intern(admitted.lazy.flatMap(\.tallies.keys), db)
            var storage = try ResponseStatements(db)
            var outcomes: [StoreOutcome] = []
            outcomes.reserveCapacity(admitted.count)
            var tallies: [TallyCell: TallySheet] = [:]
            for prepared in admitted {
                guard isolating else {
                    outcomes.append(try storage.store(prepared, tallies: &tallies, db))
                    continue
                }
                let chainBefore = storage.previousHash
                do {
                    var own: [TallyCell: TallySheet] = [:]
                    var outcome: StoreOutcome?
                    try db.inSavepoint {
                        outcome = try storage.store(prepared, tallies: &own, db)
                        try Self.addTallies(own, keys: tallyKeys, db)
                        return .commit
                    }
                    outcomes.append(outcome!)
                } catch let error as DatabaseError where !Self.isFaultOfTheDatabase(error) {
                    storage.previousHash = chainBefore
                    outcomes.append(Self.outcome(refusing: prepared, error))
                }
            }
            // The aggregates change in the same transaction as the responses: never one without the other.
            try Self.addTallies(tallies, keys: tallyKeys, db)
            return outcomes
        }
    }

    /// Errors of the database or the machine rather than of one response: they fail the whole group (503).
    private static func isFaultOfTheDatabase(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_NOMEM, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_READONLY,
            .SQLITE_CORRUPT,
            .SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_PROTOCOL, .SQLITE_INTERRUPT, .SQLITE_ABORT:
            true
        default: false
        }
    }

    /// A response the database refused alone: 422 when it broke a rule of the schema, 500 for anything else.
    private static func outcome(refusing prepared: PreparedResponse, _ error: DatabaseError) -> StoreOutcome {
        let id = prepared.response.id
        switch error.resultCode {
        case .SQLITE_CONSTRAINT, .SQLITE_TOOBIG, .SQLITE_MISMATCH, .SQLITE_RANGE:
            return .refused(
                id: id,
                problem: FieldProblem(
                    field: "response",
                    message:
                        "the database refused it (\(error.message ?? "\(error.resultCode)")); nothing was stored and sending it "
                        + "again will not help"))
        default:
            return .failed(id: id)
        }
    }

    /// Number of stored responses.
    public func responseCount() throws -> Int {
        try writer.read { db in try Self.responseCount(db) }
    }

    /// ``responseCount()`` from async code.
    func responseCount() async throws -> Int {
        try await writer.read { db in try Self.responseCount(db) }
    }

    private static func responseCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0
    }

    static func respondentJSON(_ profile: [String: String]) -> String? {
        guard !profile.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(profile)).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension ChainedRecord {
    /// The record of a response about to be stored, exactly as its row will read back.
    init(_ prepared: PreparedResponse, receivedAt: String, respondent: String?, commentSalt: String?) {
        let r = prepared.response
        self.init(
            id: r.id, survey: r.survey, surveyVersion: r.surveyVersion, unitID: prepared.unitID,
            unit: prepared.unitCode,
            deviceID: prepared.deviceID, desk: prepared.desk, procedure: r.procedure, dossier: r.dossier,
            channel: r.channel.rawValue,
            submittedAt: Timestamp.format(r.submittedAt), submittedDate: r.submittedDate.description,
            receivedAt: receivedAt,
            respondent: respondent, contentHash: prepared.contentHash,
            commentDigest: both(r.comment, commentSalt).map { ResponseChain.commentDigest($0, salt: $1) },
            answers: r.answers, expectations: r.expectations)
    }
}

// MARK: - Comment retention

/// What a retention run erased.
public struct CommentErasure: Sendable, Hashable {
    /// Comments erased.
    public let count: Int
    /// Comments of responses received before this instant were erased.
    public let cutoff: Date
}

extension SQLiteDatabase {
    /// Erases the free comments of responses received more than `days` days before `now`; the rest of each
    /// response, its comment digest and so the chain stay. The erasure and its audit entry commit together.
    /// `days` 0 keeps every comment.
    public func eraseComments(olderThanDays days: Int, now: Date, actor: String = AuditActor.server) throws
        -> CommentErasure
    {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        guard days > 0 else { return CommentErasure(count: 0, cutoff: cutoff) }
        return try writer.write { db in
            // receivedAt is stored as UTC text with milliseconds, so text order is time order.
            try db.execute(
                sql:
                    "UPDATE response SET comment = NULL, commentSalt = NULL WHERE comment IS NOT NULL AND receivedAt < ?",
                arguments: [Timestamp.format(cutoff)])
            let count = db.changesCount
            if count > 0 {
                try Self.audit(
                    db, action: "comments.erase", actor: actor,
                    detail: "count \(count), receivedAt before \(Timestamp.format(cutoff)) (kept \(days) days)",
                    now: now)
            }
            return CommentErasure(count: count, cutoff: cutoff)
        }
    }
}

/// Both values, or nil.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
