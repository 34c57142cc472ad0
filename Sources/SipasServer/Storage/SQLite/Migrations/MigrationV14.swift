import Foundation
import GRDB

// MARK: - v14, frozen
// One row per cell instead of one per key: `tally_unit` and `tally_cell` at the year, month, dekad and day grains,
// their tallies in a blob of format 1 (TallyVector), filled from the `tally_day` rows v2 to v13 kept, which
// hold every dimension; then the four key-per-row tables are dropped. The encoder is a copy of its own, so that no
// later change of TallyVector can change what v14 writes. The upserts add with `sipas_tally_add`, which reads
// format 1 for as long as it is the stored format. Never edit: a different layout is a new migration.

/// Migration v14's own copy of the code it ships with.
enum MigrationV14 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                -- The tally keys (`i:a1:5`, `s:a1`, `e:access`, `o`, `x:…`), by the id the blobs name them with.
                CREATE TABLE tally_key (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE CHECK (key <> '')
                ) STRICT;

                -- A unit version's tallies over one period: grain year (YYYY), month (YYYY-MM),
                -- dekad (YYYY-MM-1, -2, -3: days 1-10, 11-20, 21-end) or day (YYYY-MM-DD). The unit comes before
                -- the period, so a query of a few units seeks to each instead of scanning every unit's rows.
                CREATE TABLE tally_unit (
                    survey TEXT NOT NULL,
                    grain TEXT NOT NULL CHECK (grain IN ('year', 'month', 'dekad', 'day')),
                    unitId INTEGER NOT NULL REFERENCES unit (id),
                    period TEXT NOT NULL,
                    surveyVersion INTEGER NOT NULL,
                    sheet BLOB NOT NULL,
                    PRIMARY KEY (survey, grain, unitId, period, surveyVersion)
                ) STRICT, WITHOUT ROWID;

                -- The same for each procedure, channel and desk ('' when the response named no procedure or desk):
                -- what the filters and the procedure and channel breakdowns read.
                CREATE TABLE tally_cell (
                    survey TEXT NOT NULL,
                    grain TEXT NOT NULL CHECK (grain IN ('year', 'month', 'dekad', 'day')),
                    unitId INTEGER NOT NULL REFERENCES unit (id),
                    period TEXT NOT NULL,
                    surveyVersion INTEGER NOT NULL,
                    procedure TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    desk TEXT NOT NULL,
                    sheet BLOB NOT NULL,
                    PRIMARY KEY (survey, grain, unitId, period, surveyVersion, procedure, channel, desk)
                ) STRICT, WITHOUT ROWID;
                """)
        let unit = try db.makeStatement(
            sql: """
                INSERT INTO tally_unit (survey, grain, unitId, period, surveyVersion, sheet) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET sheet = sipas_tally_add(sheet, excluded.sheet)
                """)
        let cell = try db.makeStatement(
            sql: """
                INSERT INTO tally_cell (survey, grain, unitId, period, surveyVersion, procedure, channel, desk, sheet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET sheet = sipas_tally_add(sheet, excluded.sheet)
                """)
        let insertKey = try db.makeStatement(sql: "INSERT INTO tally_key (key) VALUES (?) RETURNING id")
        var keyIDs: [String: Int64] = [:]
        var current: [DatabaseValue] = []
        var entries: [(Int64, Int64, Double, Double)] = []

        func flush() throws {
            guard current.count == 7 else { return }
            let blob = encode(entries)
            let day: String = String.fromDatabaseValue(current[1])!
            let dayOfMonth = Int(day.suffix(2))!
            let periods = [
                ("year", String(day.prefix(4))), ("month", String(day.prefix(7))),
                ("dekad", "\(day.prefix(7))-\(dayOfMonth <= 10 ? 1 : dayOfMonth <= 20 ? 2 : 3)"), ("day", day),
            ]
            for (grain, period) in periods {
                try unit.execute(arguments: [current[0], grain, current[2], period, current[3], blob])
                try cell.execute(arguments: [
                    current[0], grain, current[2], period, current[3], current[4], current[5], current[6], blob,
                ])
            }
        }

        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT survey, day, unitId, surveyVersion, procedure, channel, desk, key, count, sum, sumOfSquares
                FROM tally_day ORDER BY survey, day, unitId, surveyVersion, procedure, channel, desk
                """)
        while let row = try rows.next() {
            let dimensions = (0..<7).map { row[$0] as DatabaseValue }
            if dimensions != current {
                try flush()
                current = dimensions
                entries = []
            }
            let key: String = row[7]
            let id: Int64
            if let known = keyIDs[key] {
                id = known
            } else {
                id = try Int64.fetchOne(insertKey, arguments: [key])!
                keyIDs[key] = id
            }
            entries.append((id, row[8], row[9], row[10]))
        }
        try flush()
        try db.execute(
            sql: "DROP TABLE tally_day; DROP TABLE tally_day_unit; DROP TABLE tally_month; DROP TABLE tally_year")
    }

    /// Format 1: a format byte, then per key in id order varint(id delta << 1 | has shares), varint(count) and,
    /// with shares, the sum and sum of squares as little-endian Float64.
    private static func encode(_ entries: [(id: Int64, count: Int64, sum: Double, squares: Double)]) -> Data {
        var bytes: [UInt8] = [1]
        func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }
        var previous: Int64 = 0
        for entry in entries.sorted(by: { $0.id < $1.id }) {
            let shares = entry.sum != 0 || entry.squares != 0
            varint(UInt64(entry.id - previous) << 1 | (shares ? 1 : 0))
            varint(UInt64(max(0, entry.count)))
            if shares {
                withUnsafeBytes(of: entry.sum.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                withUnsafeBytes(of: entry.squares.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            previous = entry.id
        }
        return Data(bytes)
    }
}
