import GRDB

/// A stored response as the chain sees it, with what it was chained with.
struct StoredChainRow: FetchableRecord, TableRecord, Sendable {
    static let databaseTableName = "response"
    /// The record's columns and the chain's own, not the whole row.
    static var databaseSelection: [any SQLSelectable] {
        [
            Columns.seq, Columns.id, Columns.survey, Columns.surveyVersion, Columns.unitID, Columns.unit,
            Columns.deviceID, Columns.desk, Columns.procedure, Columns.dossier, Columns.channel, Columns.submittedAt,
            Columns.submittedDate, Columns.receivedAt, Columns.respondent, Columns.contentHash, Columns.comment,
            Columns.commentSalt, Columns.commentDigest, Columns.chainHash,
        ]
    }

    /// The columns read, each named once.
    enum Columns {
        static let seq = Column("seq")
        static let id = Column("id")
        static let survey = Column("survey")
        static let surveyVersion = Column("surveyVersion")
        static let unitID = Column("unitId")
        static let unit = Column("unit")
        static let deviceID = Column("deviceId")
        static let desk = Column("desk")
        static let procedure = Column("procedure")
        static let dossier = Column("dossier")
        static let channel = Column("channel")
        static let submittedAt = Column("submittedAt")
        static let submittedDate = Column("submittedDate")
        static let receivedAt = Column("receivedAt")
        static let respondent = Column("respondent")
        static let contentHash = Column("contentHash")
        static let comment = Column("comment")
        static let commentSalt = Column("commentSalt")
        static let commentDigest = Column("commentDigest")
        static let chainHash = Column("chainHash")
    }

    let seq: Int64
    let chainHash: String?
    let comment: String?
    let commentSalt: String?
    /// Without its answers and expectations, until they are read (``SQLiteDatabase/chainRows(_:after:limit:)``).
    var record: ChainedRecord

    init(row: Row) throws {
        seq = row[Columns.seq]
        chainHash = row[Columns.chainHash]
        comment = row[Columns.comment]
        commentSalt = row[Columns.commentSalt]
        record = ChainedRecord(
            id: row[Columns.id], survey: row[Columns.survey], surveyVersion: row[Columns.surveyVersion],
            unitID: row[Columns.unitID], unit: row[Columns.unit], deviceID: row[Columns.deviceID],
            desk: row[Columns.desk], procedure: row[Columns.procedure], dossier: row[Columns.dossier],
            channel: row[Columns.channel], submittedAt: row[Columns.submittedAt],
            submittedDate: row[Columns.submittedDate], receivedAt: row[Columns.receivedAt],
            respondent: row[Columns.respondent], contentHash: row[Columns.contentHash],
            commentDigest: row[Columns.commentDigest], answers: [], expectations: [])
    }
}
