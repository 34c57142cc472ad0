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
    /// Already stored with different content; nothing was changed.
    case conflict(id: String)
}

// MARK: - Storing responses

extension AppDatabase {
    /// Stores responses in one transaction and returns one outcome each, in order.
    ///
    /// A duplicate id is detected by the UNIQUE constraint inside the INSERT (`ON CONFLICT DO NOTHING`),
    /// so simultaneous resends cannot both insert; only then is the stored hash read, to tell a resend
    /// from a different response reusing the id. Nothing is acknowledged before the commit returns.
    ///
    /// Each response stored is chained to the one before it (see `AppDatabase+Chain.swift`): the last hash
    /// is read once, then carried through the group in order; a replay or conflict does not advance it.
    func store(_ responses: [PreparedResponse]) async throws -> [StoreOutcome] {
        try await writer.write { db in
            let insertResponse = try db.cachedStatement(sql: """
                INSERT INTO response (id, survey, surveyVersion, unitId, unit, deviceId, desk, procedure, dossier, channel,
                                      submittedAt, submittedDate, receivedAt, comment, respondent, contentHash,
                                      commentSalt, commentDigest, chainHash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING seq
                """)
            let insertAnswer = try db.cachedStatement(sql: "INSERT INTO response_answer (responseSeq, item, value) VALUES (?, ?, ?)")
            let insertExpectation = try db.cachedStatement(sql: "INSERT INTO response_expectation (responseSeq, option) VALUES (?, ?)")
            let findExisting = try db.cachedStatement(sql: "SELECT contentHash, receivedAt FROM response WHERE id = ?")

            var outcomes: [StoreOutcome] = []
            outcomes.reserveCapacity(responses.count)
            var tallies: [TallyCell: TallySheet] = [:]
            var previousHash = try Self.lastChainHash(db)
            for prepared in responses {
                let r = prepared.response
                let received = Timestamp.format(prepared.receivedAt)
                let commentSalt = r.comment.map { _ in ResponseChain.newSalt() }
                let record = ChainedRecord(
                    prepared, receivedAt: received, respondent: Self.respondentJSON(r.respondent), commentSalt: commentSalt)
                let chainHash = ResponseChain.link(after: previousHash, record: record.digest)
                insertResponse.arguments = [
                    r.id, r.survey, r.surveyVersion, prepared.unitID, prepared.unitCode, prepared.deviceID, prepared.desk,
                    r.procedure, r.dossier, r.channel.rawValue, record.submittedAt, record.submittedDate,
                    received, r.comment, record.respondent, prepared.contentHash, commentSalt, record.commentDigest, chainHash,
                ]
                if let seq = try Int64.fetchOne(insertResponse) {
                    previousHash = chainHash
                    for answer in r.answers {
                        try insertAnswer.execute(arguments: [seq, answer.item, answer.value])
                    }
                    for option in r.expectations {
                        try insertExpectation.execute(arguments: [seq, option])
                    }
                    let cell = TallyCell(
                        survey: r.survey, day: r.submittedDate.description, unitID: prepared.unitID, surveyVersion: r.surveyVersion,
                        procedure: r.procedure ?? "", channel: r.channel.rawValue, desk: prepared.desk ?? "")
                    tallies[cell, default: [:]].add(prepared.tallies)
                    outcomes.append(.created(ResponseReceipt(id: r.id, receivedAt: received)))
                } else {
                    guard let row = try Row.fetchOne(findExisting, arguments: [r.id]) else {
                        throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "response \(r.id) conflicted but is not stored")
                    }
                    if row["contentHash"] as String == prepared.contentHash {
                        outcomes.append(.replayed(ResponseReceipt(id: r.id, receivedAt: row["receivedAt"])))
                    } else {
                        outcomes.append(.conflict(id: r.id))
                    }
                }
            }
            // The aggregates change in the same transaction as the responses: never one without the other.
            try Self.addTallies(tallies, db)
            return outcomes
        }
    }

    /// Number of stored responses.
    public func responseCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM response") ?? 0 }
    }

    private static func respondentJSON(_ profile: [String: String]) -> String? {
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
            id: r.id, survey: r.survey, surveyVersion: r.surveyVersion, unitID: prepared.unitID, unit: prepared.unitCode,
            deviceID: prepared.deviceID, desk: prepared.desk, procedure: r.procedure, dossier: r.dossier, channel: r.channel.rawValue,
            submittedAt: Timestamp.format(r.submittedAt), submittedDate: r.submittedDate.description, receivedAt: receivedAt,
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

extension AppDatabase {
    /// Erases the free comments of responses received more than `days` days before `now`; the rest of each
    /// response, its comment digest and so the chain stay. The erasure and its audit entry commit together.
    /// `days` 0 keeps every comment.
    public func eraseComments(olderThanDays days: Int, now: Date, actor: String = AuditActor.server) throws -> CommentErasure {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        guard days > 0 else { return CommentErasure(count: 0, cutoff: cutoff) }
        return try writer.write { db in
            // receivedAt is stored as UTC text with milliseconds, so text order is time order.
            try db.execute(
                sql: "UPDATE response SET comment = NULL, commentSalt = NULL WHERE comment IS NOT NULL AND receivedAt < ?",
                arguments: [Timestamp.format(cutoff)])
            let count = db.changesCount
            if count > 0 {
                try Self.audit(
                    db, action: "comments.erase", actor: actor,
                    detail: "count \(count), receivedAt before \(Timestamp.format(cutoff)) (kept \(days) days)", now: now)
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
