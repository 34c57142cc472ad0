import GRDB
import SipasDomain

/// A row of `dossier`: the dossier, and the unit version that received it.
struct StoredDossier: FetchableRecord, TableRecord, Sendable {
    static let databaseTableName = "dossier"

    /// The columns read, each named once.
    enum Columns {
        static let code = Column("code")
        static let procedure = Column("procedure")
        static let unitID = Column("unitId")
        static let unit = Column("unit")
        static let resolvingUnit = Column("resolvingUnit")
        static let channel = Column("channel")
        static let receivedAt = Column("receivedAt")
        static let receivedDate = Column("receivedDate")
        static let dueDate = Column("dueDate")
        static let dueDateBasis = Column("dueDateBasis")
        static let resolvedAt = Column("resolvedAt")
        static let status = Column("status")
        static let fullOnline = Column("fullOnline")
        static let paidOnline = Column("paidOnline")
        static let feeBearing = Column("feeBearing")
        static let digitised = Column("digitised")
        static let apologyIssued = Column("apologyIssued")
    }

    let dossier: Dossier
    /// The row id of the unit version that received it.
    let unitID: Int64

    init(row: Row) throws {
        // The table's CHECKs hold the dates and words to these forms.
        dossier = Dossier(
            code: row[Columns.code], procedure: row[Columns.procedure], unit: row[Columns.unit],
            resolvingUnit: row[Columns.resolvingUnit],
            channel: DossierChannel(rawValue: row[Columns.channel]) ?? .direct,
            receivedAt: Timestamp.parse(row[Columns.receivedAt])!,
            dueDate: LocalDate(row[Columns.dueDate] as String)!,
            dueDateBasis: DueDateBasis(rawValue: row[Columns.dueDateBasis]) ?? .given,
            resolvedAt: (row[Columns.resolvedAt] as String?).flatMap(Timestamp.parse),
            status: DossierStatus(rawValue: row[Columns.status]) ?? .received, fullOnline: row[Columns.fullOnline],
            paidOnline: row[Columns.paidOnline], feeBearing: row[Columns.feeBearing], digitised: row[Columns.digitised],
            apologyIssued: row[Columns.apologyIssued])
        unitID = row[Columns.unitID]
    }

    /// The known dossiers that the responses `filter` selects (a condition on `response` as `r`) name, by code.
    static func named(where filter: SQL, _ db: Database) throws -> [String: Dossier] {
        let request: SQLRequest<StoredDossier> = """
            SELECT * FROM dossier WHERE \(Columns.code) IN (SELECT r.dossier FROM response r WHERE \(filter))
            """
        return Dictionary(uniqueKeysWithValues: try request.fetchAll(db).map { ($0.dossier.code, $0.dossier) })
    }
}
