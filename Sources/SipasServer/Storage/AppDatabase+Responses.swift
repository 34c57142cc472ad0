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
    func store(_ responses: [PreparedResponse]) async throws -> [StoreOutcome] {
        try await writer.write { db in
            let insertResponse = try db.cachedStatement(sql: """
                INSERT INTO response (id, survey, surveyVersion, unitId, unit, deviceId, desk, procedure, dossier, channel,
                                      submittedAt, submittedDate, receivedAt, comment, respondent, contentHash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING seq
                """)
            let insertAnswer = try db.cachedStatement(sql: "INSERT INTO response_answer (responseSeq, item, value) VALUES (?, ?, ?)")
            let insertExpectation = try db.cachedStatement(sql: "INSERT INTO response_expectation (responseSeq, option) VALUES (?, ?)")
            let findExisting = try db.cachedStatement(sql: "SELECT contentHash, receivedAt FROM response WHERE id = ?")

            var outcomes: [StoreOutcome] = []
            outcomes.reserveCapacity(responses.count)
            var tallies: [TallyCell: TallySheet] = [:]
            for prepared in responses {
                let r = prepared.response
                let received = Timestamp.format(prepared.receivedAt)
                insertResponse.arguments = [
                    r.id, r.survey, r.surveyVersion, prepared.unitID, prepared.unitCode, prepared.deviceID, prepared.desk,
                    r.procedure, r.dossier, r.channel.rawValue, Timestamp.format(r.submittedAt), r.submittedDate.description,
                    received, r.comment, Self.respondentJSON(r.respondent), prepared.contentHash,
                ]
                if let seq = try Int64.fetchOne(insertResponse) {
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
