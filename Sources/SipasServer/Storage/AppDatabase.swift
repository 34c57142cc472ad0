import Foundation
import SipasDomain

/// The storage contract: every read and write the layers above storage make, named by intention, each one
/// transaction. Two engines implement it, each in its own folder with its own migrations in its own SQL dialect:
/// SQLite through GRDB (`Storage/SQLite/`, ``SQLiteDatabase``, the embedded default) and PostgreSQL. Everything above
/// it (intake, index, timeliness, web, commands) is shared, so the same tests hold both engines to the same promises.
///
/// Methods are async: the server's requests must not block their threads on the database.
protocol AppDatabase: Sendable {
    /// Every device, active or revoked, by id.
    func devices() async throws -> [Device]

    /// A consistent copy of the whole database at `path` (the engine's own backup; PostgreSQL's is its own tools).
    func backup(to path: String, actor: String, replacing: Bool, now: Date) async throws -> BackupSummary

    /// Erases the comments of responses older than `days` (the retention rule), with an audit entry.
    func eraseComments(olderThanDays days: Int, now: Date, actor: String) async throws -> CommentErasure

    /// ``audit(action:actor:detail:now:)`` from async code, which must not block its thread on the writer.
    func audit(action: String, actor: String, detail: String, now: Date) async throws

    /// ``auditEntries(since:limit:)`` for the server's requests (`GET /v1/audit`).
    func auditEntries(since: String?, limit: Int) async throws -> [AuditEntry]

    /// The number of responses and the chain's head, from one snapshot.
    func chainHead() async throws -> ChainHead

    /// ``addDevice(unit:desk:label:now:actor:)`` from async code (the demo's generator).
    func addDevice(unit: String, desk: String?, label: String?, now: Date, actor: String) async throws -> (
        device: Device, key: String
    )

    /// The stored hash of device `id`'s key (what a request's key is compared with); nil for no such device.
    func keyHash(ofDevice id: Int64) async throws -> String?

    /// ``revokeDevice(id:now:actor:)`` for the server's requests.
    func revokeDevice(id: Int64, now: Date, actor: String) async throws -> Bool

    /// The active device holding `key`, if any.
    func activeDevice(key: String) async throws -> Device?

    /// The active device holding the key whose stored form is `keyHash`, if any.
    func activeDevice(keyHash: String) async throws -> Device?

    /// ``addToken(role:unit:label:now:actor:)`` from async code (the demo's setup).
    func addToken(role: AccessToken.Role, unit: String?, label: String, now: Date, actor: String) async throws -> (
        token: AccessToken, key: String
    )

    /// The active token holding `key`, if any.
    func activeToken(key: String) async throws -> AccessToken?

    /// ``importProcedures(_:actor:)`` from async code (the demo's setup).
    func importProcedures(_ rows: [(line: Int, fields: [String])], actor: String) async throws -> ImportSummary

    /// ``procedures()`` for the server's requests.
    func procedures() async throws -> [String: Procedure]

    /// Upserts dossiers by code in one transaction. Each is compared with the stored one inside the
    /// transaction, so concurrent pushes of the same dossier cannot interleave. With `allOrNothing`, any
    /// refused dossier rolls the whole set back (file imports); otherwise each stands on its own (the API).
    func upsertDossiers(_ dossiers: [Result<PlacedDossier, InvalidInput>], allOrNothing: Bool, now: Date) async throws
        -> [DossierOutcomeOfUpsert]

    /// The dossiers received by sets of unit versions over date ranges, each with its group key.
    func dossiers(in ranges: [TallyFetch.Range]) async throws -> [(dossier: Dossier, group: String)]

    /// Recounts every provisional due date on `calendar`, in one transaction: run at start-up, so a notice file
    /// added for a year (or a day confirmed) settles the dossiers counted across it.
    ///
    /// - Returns: how many provisional dates there were, and how many of them changed date or became settled.
    func refreshProvisionalDueDates(calendar: WorkingCalendar) async throws -> (provisional: Int, changed: Int)

    /// ``addDeviceForEnrollment(unit:desk:label:now:actor:)`` for the server's requests.
    func addDeviceForEnrollment(unit: String, desk: String?, label: String?, now: Date, actor: String) async throws
        -> IssuedEnrollment

    /// ``rekeyDeviceForEnrollment(id:now:actor:)`` for the server's requests.
    func rekeyDeviceForEnrollment(id: Int64, now: Date, actor: String) async throws -> IssuedEnrollment?

    /// Redeems a code: the device gets a fresh key, returned here and nowhere else, and its previous key (if any)
    /// stops working. Throws ``EnrollmentRefusal`` for a code that is unknown, expired, used or voided.
    ///
    /// "Used once" is one UPDATE … WHERE usedAt IS NULL AND expiresAt > now inside the transaction: of two
    /// simultaneous redemptions, the second finds no row to change, whatever either read before.
    /// - Parameter via: how it was redeemed, for the audit log (`the web page`, `POST /v1/enroll`).
    func redeemEnrollmentCode(_ code: EnrollmentCode, via: String, now: Date) async throws -> (
        device: Device, key: String
    )

    /// The device a code would enroll, for the page that asks to confirm; reads only, so opening the link uses
    /// nothing up. Throws ``EnrollmentRefusal`` as redeeming would.
    func enrollmentTarget(_ code: EnrollmentCode, now: Date) async throws -> Device

    /// Every device with its last response's arrival and its count of responses received in the calendar month of
    /// `now` (Vietnam time, UTC+7: a response received at 00:30 on the 1st counts in the new month). Both come from
    /// the index on (deviceId, receivedAt), so the page costs a seek and a short range a device.
    func deviceOverview(now: Date) async throws -> [DeviceOverview]

    /// The responses per unit version that an export of these ranges holds, and where it ends.
    func exportPlan(survey: String, ranges: [TallyFetch.Range]) async throws -> ExportPlan

    /// Up to `limit` responses of the ranges after `seq` and up to `last`, in arrival order: one page of an export,
    /// read in its own short transaction, so an export of any size never holds more than a page in memory nor keeps
    /// a read open (and the WAL from being checkpointed) while the client downloads.
    func exportPage(survey: String, ranges: [TallyFetch.Range], after seq: Int64, through last: Int64, limit: Int)
        async throws -> [ExportedResponse]

    /// ``applyStuffingThresholds(_:)`` from async code (the server's start).
    func applyStuffingThresholds(_ thresholds: StuffingThresholds) async throws -> Bool

    /// The thresholds the flags are computed with.
    func stuffingThresholds() async throws -> StuffingThresholds

    /// Recomputes the flags of the stale cells on days in `from...to` (every stale cell when nil), a
    /// hundred cells a transaction, so responses keep being stored meanwhile. Returns the cells recomputed.
    func refreshFlags(from: LocalDate?, to: LocalDate?, cellsPerTransaction: Int) async throws -> Int

    /// The first `limit` flagged responses of unit versions over date ranges (every unit when `ranges` is nil, over
    /// `from...to`), in submission order, with the count of all of them and by reason; the caller refreshes stale
    /// cells first. The rows are counted as they are read and only the listed ones kept, so a flood of flagged
    /// responses costs time, not memory.
    func flaggedResponses(ranges: [TallyFetch.Range]?, from: LocalDate, to: LocalDate, limit: Int) async throws
        -> FlaggedList

    /// The summed tallies per group key ("" when there is no breakdown). A period is read as whole years, whole
    /// months, whole dekads and the days at its edges (``PeriodPlan``), one row per unit version and period from
    /// `tally_unit`, or per procedure, channel and desk as well from `tally_cell` when a filter or the breakdown
    /// needs them; so the cost follows the number of periods, units and cells, not of responses.
    func sumTallies(_ fetch: TallyFetch) async throws -> [String: TallySheet]

    /// The flagged responses that the fetch sums (same survey, unit versions, dates and filters), each with its raw
    /// answers, given to `contribution`, which recomputes its tallies and names its group (nil: leave it out); the
    /// results are added up per group. Tallies add up, so subtracting these sums leaves exact figures. Read a page
    /// of `page` responses at a time in one snapshot. The caller refreshes stale flags first.
    func sumFlagged(
        _ fetch: TallyFetch, page pageSize: Int,
        _ contribution: @escaping @Sendable (FlaggedContribution) -> (String, TallySheet)?
    ) async throws -> FlaggedSums

    /// The responses of a survey that name a dossier, for sets of unit versions over date ranges.
    func responsesNamingDossiers(_ fetch: TallyFetch) async throws -> [ResponseWithDossier]

    /// Responses (any survey) per unit version and desk, and resolved dossiers per unit version, over ranges.
    func coverage(ranges: [TallyFetch.Range]) async throws -> (responses: [CoverageCount], resolved: [Int64: Int])

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
    func store(_ responses: [PreparedResponse], isolating: Bool, checking check: CommitCheck?) async throws
        -> [StoreOutcome]

    /// ``responseCount()`` from async code.
    func responseCount() async throws -> Int

    /// Stores an entered score and its audit record in one transaction.
    func enterScore(_ entry: ScorecardEntry, ruleSet: String, unit: String, year: Int) async throws

    /// The latest entry of each criterion of a unit's scorecard for a year, by criterion id.
    func scorecardEntries(ruleSet: String, unit: String, year: Int) async throws -> [String: ScorecardEntry]

    /// ``publishSurveys(_:now:)`` from async code (the server's start).
    func publishSurveys(_ files: [SurveyFile], now: Date) async throws -> SurveyCatalog

    /// ``publishSurveys(from:)`` from async code (the demo's setup).
    func publishSurveys(from directory: String) async throws

    /// ``surveyCatalog()`` from async code.
    func surveyCatalog() async throws -> SurveyCatalog

    /// ``importUnits(_:actor:)`` from async code (the demo's setup).
    func importUnits(_ rows: [UnitRow], actor: String) async throws -> ImportSummary

    /// ``units()`` from async code (the server's start).
    func units() async throws -> [AdministrativeUnit]

    /// The units with their row ids, and the revision they were read at.
    func unitSnapshot() async throws -> UnitSnapshot

    /// The current revision of the units, cheap enough to read on every request.
    func unitRevision() async throws -> Int

    func createTicket(unit: String, procedure: String?, dossier: String, now: Date, lifetime: TimeInterval) async throws
        -> Ticket

    func ticket(_ id: String) async throws -> Ticket?

    /// Opens a dashboard session for an active official or admin token; nil for anything else.
    func openSession(tokenKey: String, now: Date, lifetime: TimeInterval) async throws -> (id: String, csrf: String)?

    /// The token and CSRF secret behind a live session; nil once it expired or its token was revoked.
    func session(_ id: String, now: Date) async throws -> (token: AccessToken, csrf: String)?

    func closeSession(_ id: String) async throws

    /// The years holding responses or dossiers, latest first: where a dashboard opened without a year looks for
    /// figures. Read from the yearly tallies and the dossiers' date index, so it costs a few index lookups per unit.
    func yearsWithData() async throws -> [Int]

    /// Whether any response or dossier is filed under the unit versions of `ranges` within their dates.
    func hasData(in ranges: [TallyFetch.Range]) async throws -> Bool
}

// MARK: - The usual arguments

extension AppDatabase {
    func audit(action: String, actor: String, detail: String) async throws {
        try await audit(action: action, actor: actor, detail: detail, now: Date())
    }

    func auditEntries(since: String? = nil) async throws -> [AuditEntry] {
        try await auditEntries(since: since, limit: 1_000)
    }

    func addDevice(unit: String, desk: String?, label: String?, now: Date) async throws -> (device: Device, key: String)
    {
        try await addDevice(unit: unit, desk: desk, label: label, now: now, actor: AuditActor.commandLine)
    }

    func addToken(role: AccessToken.Role, unit: String?, label: String, now: Date) async throws
        -> (token: AccessToken, key: String)
    {
        try await addToken(role: role, unit: unit, label: label, now: now, actor: AuditActor.commandLine)
    }

    func importProcedures(_ rows: [(line: Int, fields: [String])]) async throws -> ImportSummary {
        try await importProcedures(rows, actor: AuditActor.commandLine)
    }

    func importUnits(_ rows: [UnitRow]) async throws -> ImportSummary {
        try await importUnits(rows, actor: AuditActor.commandLine)
    }

    func exportPage(survey: String, ranges: [TallyFetch.Range], after seq: Int64, through last: Int64) async throws
        -> [ExportedResponse]
    {
        try await exportPage(
            survey: survey, ranges: ranges, after: seq, through: last, limit: SQLiteDatabase.exportPageSize)
    }

    func refreshFlags(from: LocalDate? = nil, to: LocalDate? = nil) async throws -> Int {
        try await refreshFlags(from: from, to: to, cellsPerTransaction: 100)
    }

    func sumFlagged(
        _ fetch: TallyFetch, _ contribution: @escaping @Sendable (FlaggedContribution) -> (String, TallySheet)?
    )
        async throws -> FlaggedSums
    {
        try await sumFlagged(fetch, page: SQLiteDatabase.flaggedPage, contribution)
    }

    func store(_ responses: [PreparedResponse], isolating: Bool = false) async throws -> [StoreOutcome] {
        try await store(responses, isolating: isolating, checking: nil)
    }
}
