import Foundation
import GRDB
import SipasDomain

/// The statements that store one response inside a group's transaction, and the chain hash they carry from
/// one response to the next.
struct ResponseStatements {
    private let insertResponse: Statement
    private let insertAnswer: Statement
    private let insertExpectation: Statement
    private let findExisting: Statement
    private let claimTicket: Statement
    private let releaseTicket: Statement
    /// The chain hash of the last response stored in this transaction.
    var previousHash: String

    init(_ db: Database) throws {
        insertResponse = try db.cachedStatement(
            sql: """
                INSERT INTO response (id, survey, surveyVersion, unitId, unit, deviceId, desk, procedure, dossier, channel,
                                      submittedAt, submittedDate, receivedAt, comment, respondent, contentHash,
                                      commentSalt, commentDigest, chainHash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING seq
                """)
        insertAnswer = try db.cachedStatement(
            sql: "INSERT INTO response_answer (responseSeq, item, value) VALUES (?, ?, ?)")
        insertExpectation = try db.cachedStatement(
            sql: "INSERT INTO response_expectation (responseSeq, option) VALUES (?, ?)")
        findExisting = try db.cachedStatement(sql: "SELECT * FROM response WHERE id = ?")
        // A ticket is used by the response that commits with it: a failed commit leaves it unused.
        claimTicket = try db.cachedStatement(
            sql: "UPDATE ticket SET responseId = ?1 WHERE id = ?2 AND (responseId IS NULL OR responseId = ?1)")
        releaseTicket = try db.cachedStatement(
            sql: "UPDATE ticket SET responseId = NULL WHERE id = ? AND responseId = ?")
        previousHash = try SQLiteDatabase.lastChainHash(db)
    }

    /// Stores one response (or finds it stored) and adds what it contributes to `tallies`.
    mutating func store(_ prepared: PreparedResponse, tallies: inout [TallyCell: TallySheet], _ db: Database) throws
        -> StoreOutcome
    {
        let r = prepared.response
        var claimedNow = false
        if let ticket = prepared.ticketID {
            let before = try String.fetchOne(db, sql: "SELECT responseId FROM ticket WHERE id = ?", arguments: [ticket])
            try claimTicket.execute(arguments: [r.id, ticket])
            guard db.changesCount > 0 else { return .ticketUsed(id: r.id) }
            claimedNow = before == nil
        }
        let received = Timestamp.format(prepared.receivedAt)
        let commentSalt = r.comment.map { _ in ResponseChain.newSalt() }
        let record = ChainedRecord(
            prepared, receivedAt: received, respondent: SQLiteDatabase.respondentJSON(r.respondent),
            commentSalt: commentSalt)
        let chainHash = ResponseChain.link(after: previousHash, record: record.digest)
        insertResponse.arguments = [
            r.id, r.survey, r.surveyVersion, prepared.unitID, prepared.unitCode, prepared.deviceID, prepared.desk,
            r.procedure, r.dossier, r.channel.rawValue, record.submittedAt, record.submittedDate,
            received, r.comment, record.respondent, prepared.contentHash, commentSalt, record.commentDigest, chainHash,
        ]
        guard let seq = try Int64.fetchOne(insertResponse) else {
            guard let row = try Row.fetchOne(findExisting, arguments: [r.id]) else {
                throw DatabaseError(
                    resultCode: .SQLITE_INTERNAL, message: "response \(r.id) conflicted but is not stored")
            }
            if row["contentHash"] as String == prepared.contentHash {
                return .replayed(ResponseReceipt(id: r.id, receivedAt: row["receivedAt"]))
            }
            // The id holds another response: a ticket claimed for it just now is left unused.
            if claimedNow, let ticket = prepared.ticketID { try releaseTicket.execute(arguments: [ticket, r.id]) }
            return .conflict(id: r.id, differences: try ResponseDifferences.between(stored: row, sent: prepared, db))
        }
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
        return .created(ResponseReceipt(id: r.id, receivedAt: received))
    }
}
