import Foundation
import GRDB
import SipasDomain

// MARK: - Stuffing flags
// The signals are computed per device, desk and Vietnam day (a "cell"). A later response can put earlier
// ones into a burst or a run, or break a run when it arrives late from an offline kiosk, so a cell's flags
// are recomputed whole. That is not done on the ingest path: a trigger only marks the cell stale in the
// same transaction as the response (one small upsert, whichever path wrote it), and whoever reads flags
// first recomputes the stale cells of the days it reads. Flags are therefore never stale when read, and a
// commit costs no more than before however many responses a desk sent that day.

/// A flagged response, as listed for admins.
struct FlaggedResponse: Sendable {
    let seq: Int64
    let id: String
    let survey: String
    let unit: String
    let deviceID: Int64
    let deviceLabel: String?
    let desk: String?
    let channel: String
    /// As stored: UTC, RFC 3339.
    let submittedAt: String
    let flags: [StuffingFlag]
}

extension SQLiteDatabase {
    /// v7: responses flagged by the stuffing signals, the cells waiting to be recomputed, and the
    /// thresholds the stored flags were computed with.
    static func migrateStuffingFlags(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE response_flag (
                    responseSeq INTEGER NOT NULL REFERENCES response (seq) ON DELETE CASCADE,
                    reason TEXT NOT NULL CHECK (reason IN ('burst', 'identicalRun', 'outsideOfficeHours')),
                    detail TEXT NOT NULL CHECK (detail <> ''),
                    PRIMARY KEY (responseSeq, reason)
                ) STRICT, WITHOUT ROWID;

                -- Cells (device, desk or '', Vietnam day) whose flags must be recomputed before they are read.
                CREATE TABLE flag_stale (
                    deviceId INTEGER NOT NULL,
                    desk TEXT NOT NULL,
                    day TEXT NOT NULL CHECK (date(day) IS day),
                    PRIMARY KEY (day, deviceId, desk)
                ) STRICT, WITHOUT ROWID;

                -- The thresholds in force (one row, JSON of StuffingThresholds); absent means the defaults.
                CREATE TABLE flag_setting (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    thresholds TEXT NOT NULL CHECK (json_valid(thresholds))
                ) STRICT;

                -- A cell's responses in submission order. Web responses from tickets have no device and no signal.
                CREATE INDEX response_by_device_day ON response (deviceId, submittedDate, submittedAt) WHERE deviceId IS NOT NULL;

                CREATE TRIGGER response_marks_flags_stale AFTER INSERT ON response WHEN NEW.deviceId IS NOT NULL
                BEGIN
                    INSERT OR IGNORE INTO flag_stale (deviceId, desk, day) VALUES (NEW.deviceId, coalesce(NEW.desk, ''), NEW.submittedDate);
                END;

                -- Responses stored before this migration are flagged when first read.
                INSERT OR IGNORE INTO flag_stale (deviceId, desk, day)
                    SELECT DISTINCT deviceId, coalesce(desk, ''), submittedDate FROM response WHERE deviceId IS NOT NULL;
                """)
    }

    // MARK: - Thresholds

    /// Records the thresholds in force (`configuration.stuffing`, at start-up). When they differ from those
    /// the stored flags were computed with, every cell is marked stale, so no flag of the old settings is
    /// ever read. Returns whether they changed; a bad setting is an ``OperatorError`` naming it.
    @discardableResult
    public func applyStuffingThresholds(_ thresholds: StuffingThresholds) throws -> Bool {
        let json = try Self.checkedJSON(thresholds)
        return try writer.write { db in try Self.record(db, thresholds, json: json) }
    }

    /// ``applyStuffingThresholds(_:)`` from async code (the server's start).
    @discardableResult
    func applyStuffingThresholds(_ thresholds: StuffingThresholds) async throws -> Bool {
        let json = try Self.checkedJSON(thresholds)
        return try await writer.write { db in try Self.record(db, thresholds, json: json) }
    }

    /// The thresholds as recorded (JSON, sorted keys), once checked.
    private static func checkedJSON(_ thresholds: StuffingThresholds) throws -> String {
        do {
            _ = try StuffingRules(thresholds)
        } catch {
            throw OperatorError("\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(thresholds), as: UTF8.self)
    }

    private static func record(_ db: Database, _ thresholds: StuffingThresholds, json: String) throws -> Bool {
        // Without a record, the flags so far were computed with the defaults.
        let recorded = try String.fetchOne(db, sql: "SELECT thresholds FROM flag_setting WHERE id = 1")
        let changed = recorded.map { $0 != json } ?? (thresholds != StuffingThresholds())
        try db.execute(sql: "INSERT OR REPLACE INTO flag_setting (id, thresholds) VALUES (1, ?)", arguments: [json])
        if changed {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO flag_stale (deviceId, desk, day)
                        SELECT DISTINCT deviceId, coalesce(desk, ''), submittedDate FROM response WHERE deviceId IS NOT NULL
                    """)
        }
        return changed
    }

    /// The thresholds the flags are computed with.
    func stuffingThresholds() async throws -> StuffingThresholds {
        try await writer.read { db in try Self.storedThresholds(db) }
    }

    /// The recorded thresholds; the defaults when none are recorded, or when another release recorded a
    /// form this one cannot read (the next start records its own, and its different text marks every cell stale).
    private static func storedThresholds(_ db: Database) throws -> StuffingThresholds {
        guard let json = try String.fetchOne(db, sql: "SELECT thresholds FROM flag_setting WHERE id = 1"),
            let thresholds = try? JSONDecoder().decode(StuffingThresholds.self, from: Data(json.utf8))
        else { return StuffingThresholds() }
        return thresholds
    }

    // MARK: - Recomputing

    /// Recomputes the flags of the stale cells on days in `from...to` (every stale cell when nil), a
    /// hundred cells a transaction, so responses keep being stored meanwhile. Returns the cells recomputed.
    @discardableResult
    func refreshFlags(from: LocalDate? = nil, to: LocalDate? = nil, cellsPerTransaction: Int = 100) async throws -> Int
    {
        let first = from?.description ?? "0000-01-01", last = to?.description ?? "9999-12-31"
        var refreshed = 0
        while true {
            let count = try await writer.write { db in
                let cells = try Row.fetchAll(
                    db, sql: "SELECT deviceId, desk, day FROM flag_stale WHERE day BETWEEN ? AND ? LIMIT ?",
                    arguments: [first, last, cellsPerTransaction])
                guard !cells.isEmpty else { return 0 }
                let rules = try StuffingRules(try Self.storedThresholds(db))
                for cell in cells {
                    try Self.refreshFlags(
                        deviceID: cell["deviceId"], desk: cell["desk"], day: cell["day"], rules: rules, db)
                }
                return cells.count
            }
            refreshed += count
            if count < cellsPerTransaction { return refreshed }
        }
    }

    /// Recomputes one cell's flags from its responses and clears its stale mark.
    private static func refreshFlags(deviceID: Int64, desk: String, day: String, rules: StuffingRules, _ db: Database)
        throws
    {
        let cell: SQL = "r.deviceId = \(deviceID) AND r.submittedDate = \(day) AND coalesce(r.desk, '') = \(desk)"
        let contents = try ResponseContents.load(db, where: cell)
        var submissions: [StuffingSubmission] = []
        let request: SQLRequest<FlagInput> = """
            SELECT \(columnsOf: FlagInput.self, tableAlias: "r") FROM response r WHERE \(cell)
            ORDER BY r.submittedAt, r.seq
            """
        let rows = try request.fetchCursor(db)
        while let row = try rows.next() {
            // In item order, so that two responses with the same answers have the same set.
            let given = contents.answers(of: row.seq).map { "\($0.item)=\($0.value)" }
            // One answer (the one-tap rating) repeats by nature: it neither forms nor continues a run.
            let answerSet = given.count < 2 ? nil : "\(row.survey)/\(row.surveyVersion)|" + given.joined(separator: ",")
            guard let submittedAt = Timestamp.parse(row.submittedAt) else { continue }
            submissions.append(StuffingSubmission(seq: row.seq, submittedAt: submittedAt, answerSet: answerSet))
        }

        try db.execute(
            literal: "DELETE FROM response_flag WHERE responseSeq IN (SELECT r.seq FROM response r WHERE \(cell))")
        let insert = try db.cachedStatement(
            sql: "INSERT INTO response_flag (responseSeq, reason, detail) VALUES (?, ?, ?)")
        for flagged in rules.flag(submissions) {
            for flag in flagged.flags {
                try insert.execute(arguments: [flagged.seq, flag.reason.rawValue, flag.detail])
            }
        }
        try db.execute(
            sql: "DELETE FROM flag_stale WHERE deviceId = ? AND desk = ? AND day = ?", arguments: [deviceID, desk, day])
    }

    // MARK: - Listing

    /// The first `limit` flagged responses of unit versions over date ranges (every unit when `ranges` is nil, over
    /// `from...to`), in submission order, with the count of all of them and by reason; the caller refreshes stale
    /// cells first. The rows are counted as they are read and only the listed ones kept, so a flood of flagged
    /// responses costs time, not memory.
    func flaggedResponses(ranges: [TallyFetch.Range]?, from: LocalDate, to: LocalDate, limit: Int) async throws
        -> FlaggedList
    {
        try await writer.read { db in
            let scopes: [(String, String, String)] =
                ranges.map { ranges in
                    ranges.filter { !$0.units.isEmpty }.map {
                        (
                            "AND r.unitId IN (\($0.units.keys.map(String.init).joined(separator: ",")))",
                            $0.from.description, $0.to.description
                        )
                    }
                } ?? [("", from.description, to.description)]
            var result: [FlaggedResponse] = []
            var total = 0
            var byReason = Dictionary(uniqueKeysWithValues: StuffingReason.allCases.map { ($0, 0) })
            for (units, first, last) in scopes {
                // Each scope is read in submission order: past its first `limit`, a response is only counted.
                var kept = 0
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT r.seq, r.id, r.survey, r.unit, r.deviceId, d.label AS deviceLabel, r.desk, r.channel, r.submittedAt,
                               f.reason, f.detail
                        FROM response_flag f JOIN response r ON r.seq = f.responseSeq LEFT JOIN device d ON d.id = r.deviceId
                        WHERE r.submittedDate BETWEEN ? AND ? \(units)
                        ORDER BY r.submittedAt, r.seq
                        """, arguments: [first, last])
                // One row per reason; a response's rows are adjacent.
                var current: (seq: Int64, row: Row, flags: [StuffingFlag])?
                func finish() {
                    guard let (seq, row, flags) = current else { return }
                    total += 1
                    for flag in flags { byReason[flag.reason, default: 0] += 1 }
                    guard kept < limit else { return }
                    kept += 1
                    let order = StuffingReason.allCases
                    result.append(
                        FlaggedResponse(
                            seq: seq, id: row["id"], survey: row["survey"], unit: row["unit"],
                            deviceID: row["deviceId"],
                            deviceLabel: row["deviceLabel"], desk: row["desk"], channel: row["channel"],
                            submittedAt: row["submittedAt"],
                            flags: flags.sorted { order.firstIndex(of: $0.reason)! < order.firstIndex(of: $1.reason)! })
                    )
                }
                while let row = try rows.next() {
                    let seq: Int64 = row["seq"]
                    let flag = StuffingFlag(
                        reason: StuffingReason(rawValue: row["reason"]) ?? .burst, detail: row["detail"])
                    if current?.seq == seq {
                        current?.flags.append(flag)
                    } else {
                        finish()
                        current = (seq, kept < limit ? row.copy() : row, [flag])
                    }
                }
                finish()
            }
            let listed = result.sorted { ($0.submittedAt, $0.seq) < ($1.submittedAt, $1.seq) }.prefix(limit)
            return FlaggedList(total: total, byReason: byReason, responses: Array(listed))
        }
    }
}

/// Flagged responses as listed: the first ones, and the counts of all.
struct FlaggedList: Sendable {
    /// Every flagged response in the scope.
    let total: Int
    /// Flags of each reason, over every flagged response.
    let byReason: [StuffingReason: Int]
    /// The first `limit`, in submission order.
    let responses: [FlaggedResponse]

    /// More were flagged than listed.
    var truncated: Bool { total > responses.count }
}

extension SQLiteDatabase {
    /// What the stuffing signals read of a response, besides its answers.
    private struct FlagInput: Decodable, FetchableRecord, TableRecord {
        static let databaseTableName = "response"
        static var databaseSelection: [any SQLSelectable] { CodingKeys.allCases.map { Column($0) } }

        /// The columns read, each named once.
        enum CodingKeys: String, CodingKey, CaseIterable {
            case seq, submittedAt, survey, surveyVersion
        }

        let seq: Int64
        /// As stored: UTC, RFC 3339.
        let submittedAt: String
        let survey: String
        let surveyVersion: Int
    }
}
