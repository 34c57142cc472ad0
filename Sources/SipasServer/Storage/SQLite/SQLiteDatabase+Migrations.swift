import GRDB

// MARK: - Schema timeline
// Migrations are never edited once shipped: a change is a new migration. Tables are named with
// string literals, not app types, so a later rename of a type cannot change history. For the same reason a
// migration never calls the application's code, which goes on changing: one that needs more than SQL has a
// frozen copy of the code it shipped with, in Migrations/ (MigrationV2, MigrationV6).

extension SQLiteDatabase {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: surveys, units, devices, tokens, responses") { db in
            // Published survey versions, immutable once stored: `digest` is the SHA-256 of the
            // canonical definition, compared with the file at every start.
            try db.execute(
                sql: """
                    CREATE TABLE survey_version (
                        survey TEXT NOT NULL CHECK (survey <> ''),
                        version INTEGER NOT NULL CHECK (version >= 1),
                        definition TEXT NOT NULL CHECK (json_valid(definition)),
                        digest TEXT NOT NULL CHECK (length(digest) = 64),
                        publishedAt TEXT NOT NULL,
                        PRIMARY KEY (survey, version)
                    ) STRICT;

                    -- One row per version of a unit (DOMAIN.md §6): codes are reused across 1/7/2025, so the
                    -- key is (code, validFrom) and dated rows point at the version in force on their date.
                    CREATE TABLE unit (
                        id INTEGER PRIMARY KEY,
                        code TEXT NOT NULL CHECK (code GLOB '[0-9]*' AND length(code) IN (2, 3, 5)),
                        name TEXT NOT NULL CHECK (name <> ''),
                        level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
                        parent TEXT CHECK ((level = 'province') = (parent IS NULL)),
                        validFrom TEXT NOT NULL CHECK (date(validFrom) IS validFrom),
                        validTo TEXT CHECK (validTo IS NULL OR (date(validTo) IS validTo AND validTo >= validFrom)),
                        UNIQUE (code, validFrom)
                    ) STRICT;

                    -- Desk tablets and kiosks. Only the SHA-256 of the key is kept; the key is shown once.
                    CREATE TABLE device (
                        id INTEGER PRIMARY KEY,
                        keyHash TEXT NOT NULL UNIQUE CHECK (length(keyHash) = 64),
                        unit TEXT NOT NULL,
                        desk TEXT,
                        label TEXT,
                        createdAt TEXT NOT NULL,
                        revokedAt TEXT
                    ) STRICT;

                    -- Officials' and integrations' bearer tokens, bound to a unit subtree (admins: all units).
                    CREATE TABLE access_token (
                        id INTEGER PRIMARY KEY,
                        keyHash TEXT NOT NULL UNIQUE CHECK (length(keyHash) = 64),
                        role TEXT NOT NULL CHECK (role IN ('admin', 'official', 'integration')),
                        unit TEXT CHECK (role = 'admin' OR unit IS NOT NULL),
                        label TEXT NOT NULL CHECK (label <> ''),
                        createdAt TEXT NOT NULL,
                        revokedAt TEXT
                    ) STRICT;

                    -- Responses, anonymous: no address, name, phone or ID number is ever stored.
                    -- `seq` is the arrival order; the UNIQUE `id` (client-made UUID) is what makes a resend a
                    -- no-op inside the INSERT itself, never by read-then-write.
                    CREATE TABLE response (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE CHECK (length(id) = 36 AND id = lower(id)),
                        survey TEXT NOT NULL,
                        surveyVersion INTEGER NOT NULL,
                        unitId INTEGER NOT NULL REFERENCES unit(id),
                        unit TEXT NOT NULL,
                        deviceId INTEGER REFERENCES device(id),
                        desk TEXT,
                        procedure TEXT,
                        dossier TEXT,
                        channel TEXT NOT NULL CHECK (channel IN ('desk', 'kiosk', 'web')),
                        submittedAt TEXT NOT NULL,
                        submittedDate TEXT NOT NULL CHECK (date(submittedDate) IS submittedDate),
                        receivedAt TEXT NOT NULL,
                        comment TEXT CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 4000),
                        respondent TEXT CHECK (respondent IS NULL OR json_valid(respondent)),
                        contentHash TEXT NOT NULL CHECK (length(contentHash) = 64),
                        FOREIGN KEY (survey, surveyVersion) REFERENCES survey_version (survey, version)
                    ) STRICT;
                    CREATE INDEX response_by_date ON response (submittedDate);

                    -- One row per answered item, so aggregation by item reads integers, never JSON.
                    CREATE TABLE response_answer (
                        responseSeq INTEGER NOT NULL REFERENCES response (seq) ON DELETE CASCADE,
                        item TEXT NOT NULL,
                        value INTEGER NOT NULL,
                        PRIMARY KEY (responseSeq, item)
                    ) STRICT, WITHOUT ROWID;

                    CREATE TABLE response_expectation (
                        responseSeq INTEGER NOT NULL REFERENCES response (seq) ON DELETE CASCADE,
                        option TEXT NOT NULL,
                        PRIMARY KEY (responseSeq, option)
                    ) STRICT, WITHOUT ROWID;

                    -- Bumped by triggers on every change of the units, so the server reloads its unit
                    -- directory only when an import (possibly from another process) changed it.
                    CREATE TABLE catalog_revision (
                        name TEXT PRIMARY KEY,
                        revision INTEGER NOT NULL
                    ) STRICT;
                    INSERT INTO catalog_revision VALUES ('unit', 0);
                    CREATE TRIGGER unit_inserted AFTER INSERT ON unit
                        BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE name = 'unit'; END;
                    CREATE TRIGGER unit_updated AFTER UPDATE ON unit
                        BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE name = 'unit'; END;
                    CREATE TRIGGER unit_deleted AFTER DELETE ON unit
                        BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE name = 'unit'; END;
                    """)
        }
        migrator.registerMigration("v2: tallies for the satisfaction index") { db in
            // Aggregates kept current in the same transaction as each response, so an index query reads
            // sums instead of responses. Keys are TallyKey texts (`i:a1:5`, `s:a1`, `e:access`, `o`, `x:…`).
            // tally_day has every dimension a filter or breakdown needs; tally_month drops procedure,
            // channel and desk, so the common query (a unit, a period) reads a few rows per month.
            try db.execute(
                sql: """
                    CREATE TABLE tally_day (
                        survey TEXT NOT NULL,
                        day TEXT NOT NULL CHECK (date(day) IS day),
                        unitId INTEGER NOT NULL REFERENCES unit (id),
                        surveyVersion INTEGER NOT NULL,
                        procedure TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        desk TEXT NOT NULL,
                        key TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        sum REAL NOT NULL,
                        sumOfSquares REAL NOT NULL,
                        PRIMARY KEY (survey, day, unitId, surveyVersion, procedure, channel, desk, key)
                    ) STRICT, WITHOUT ROWID;

                    CREATE TABLE tally_month (
                        survey TEXT NOT NULL,
                        month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
                        unitId INTEGER NOT NULL REFERENCES unit (id),
                        surveyVersion INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        sum REAL NOT NULL,
                        sumOfSquares REAL NOT NULL,
                        PRIMARY KEY (survey, month, unitId, surveyVersion, key)
                    ) STRICT, WITHOUT ROWID;
                    """)
            // Responses stored before this migration are counted in, by the tally code v2 shipped with.
            try MigrationV2.rebuildTallies(db)
        }
        migrator.registerMigration("v3: procedures and dossiers") { db in
            // The national procedure catalogue, as imported from its file.
            try db.execute(
                sql: """
                    CREATE TABLE procedure (
                        code TEXT PRIMARY KEY CHECK (code <> ''),
                        name TEXT NOT NULL CHECK (name <> ''),
                        field TEXT NOT NULL CHECK (field <> ''),
                        level TEXT NOT NULL CHECK (level IN ('district', 'commune')),
                        legalDays INTEGER NOT NULL CHECK (legalDays BETWEEN 0 AND 365),
                        fullOnlineEligible INTEGER NOT NULL CHECK (fullOnlineEligible IN (0, 1)),
                        feeBearing INTEGER NOT NULL CHECK (feeBearing IN (0, 1))
                    ) STRICT;

                    -- Dossiers (hồ sơ TTHC), upserted by code from the province's TTHC system or a file. A resolved
                    -- dossier has its resolution time, an unresolved one has none; the due date never precedes receipt.
                    CREATE TABLE dossier (
                        id INTEGER PRIMARY KEY,
                        code TEXT NOT NULL UNIQUE CHECK (code <> ''),
                        procedure TEXT NOT NULL REFERENCES procedure (code),
                        unitId INTEGER NOT NULL REFERENCES unit (id),
                        unit TEXT NOT NULL,
                        resolvingUnit TEXT,
                        channel TEXT NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
                        receivedAt TEXT NOT NULL,
                        receivedDate TEXT NOT NULL CHECK (date(receivedDate) IS receivedDate),
                        dueDate TEXT NOT NULL CHECK (date(dueDate) IS dueDate AND dueDate >= receivedDate),
                        resolvedAt TEXT CHECK (resolvedAt IS NULL OR resolvedAt >= receivedAt),
                        status TEXT NOT NULL CHECK (status IN ('received', 'in-progress', 'resolved', 'returned', 'withdrawn')),
                        fullOnline INTEGER NOT NULL CHECK (fullOnline IN (0, 1)),
                        paidOnline INTEGER NOT NULL CHECK (paidOnline IN (0, 1)),
                        feeBearing INTEGER NOT NULL CHECK (feeBearing IN (0, 1)),
                        digitised INTEGER NOT NULL CHECK (digitised IN (0, 1)),
                        apologyIssued INTEGER NOT NULL CHECK (apologyIssued IN (0, 1)),
                        updatedAt TEXT NOT NULL,
                        CHECK ((status IN ('resolved', 'returned')) = (resolvedAt IS NOT NULL)),
                        CHECK (paidOnline = 0 OR feeBearing = 1)
                    ) STRICT;
                    CREATE INDEX dossier_by_date ON dossier (receivedDate, unitId);
                    CREATE INDEX response_by_dossier ON response (dossier) WHERE dossier IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v4: survey tickets and dashboard sessions") { db in
            // A one-time survey ticket (printed as a QR code on the dossier receipt): it opens the web form
            // with the unit, procedure and dossier filled in and accepts exactly one response.
            try db.execute(
                sql: """
                    CREATE TABLE ticket (
                        id TEXT PRIMARY KEY CHECK (length(id) >= 20),
                        unit TEXT NOT NULL,
                        procedure TEXT,
                        dossier TEXT NOT NULL CHECK (dossier <> ''),
                        createdAt TEXT NOT NULL,
                        expiresAt TEXT NOT NULL CHECK (expiresAt > createdAt),
                        -- Claimed before the response is stored (so two tabs cannot both answer), released if it is refused.
                        responseId TEXT UNIQUE
                    ) STRICT;

                    -- Officials' browser sessions, opened by signing in with a token; they end with the token.
                    CREATE TABLE web_session (
                        id TEXT PRIMARY KEY CHECK (length(id) >= 20),
                        tokenId INTEGER NOT NULL REFERENCES access_token (id),
                        csrf TEXT NOT NULL,
                        createdAt TEXT NOT NULL,
                        expiresAt TEXT NOT NULL
                    ) STRICT;
                    """)
        }
        migrator.registerMigration("v5: yearly and daily-per-unit tallies") { db in
            // Coarser grains, so the common queries read few rows: a whole year comes from tally_year
            // (about 130 keys per unit version), the days at the edges of a period from tally_day_unit
            // instead of the fine tally_day, which keeps procedure, channel and desk for filters.
            try db.execute(
                sql: """
                    CREATE TABLE tally_year (
                        survey TEXT NOT NULL,
                        year TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]'),
                        unitId INTEGER NOT NULL REFERENCES unit (id),
                        surveyVersion INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        sum REAL NOT NULL,
                        sumOfSquares REAL NOT NULL,
                        PRIMARY KEY (survey, year, unitId, surveyVersion, key)
                    ) STRICT, WITHOUT ROWID;

                    CREATE TABLE tally_day_unit (
                        survey TEXT NOT NULL,
                        day TEXT NOT NULL CHECK (date(day) IS day),
                        unitId INTEGER NOT NULL REFERENCES unit (id),
                        surveyVersion INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        count INTEGER NOT NULL CHECK (count >= 0),
                        sum REAL NOT NULL,
                        sumOfSquares REAL NOT NULL,
                        PRIMARY KEY (survey, day, unitId, surveyVersion, key)
                    ) STRICT, WITHOUT ROWID;

                    INSERT INTO tally_year
                        SELECT survey, substr(month, 1, 4), unitId, surveyVersion, key, SUM(count), SUM(sum), SUM(sumOfSquares)
                        FROM tally_month GROUP BY 1, 2, 3, 4, 5;
                    INSERT INTO tally_day_unit
                        SELECT survey, day, unitId, surveyVersion, key, SUM(count), SUM(sum), SUM(sumOfSquares)
                        FROM tally_day GROUP BY 1, 2, 3, 4, 5;
                    """)
        }
        // The response chain over the responses already stored, by the chain code v6 shipped with.
        migrator.registerMigration("v6: response chain", migrate: MigrationV6.migrate)
        // Operations and integrity (each in its own file, next to the code that uses it).
        migrator.registerMigration("v7: stuffing flags", migrate: migrateStuffingFlags)
        migrator.registerMigration("v8: audit log", migrate: migrateAuditLog)
        migrator.registerMigration("v9: where a due date comes from", migrate: migrateDueDateBasis)
        migrator.registerMigration("v10: entered scorecard scores", migrate: migrateScorecardEntries)
        migrator.registerMigration("v11: unit succession and token unit versions", migrate: migrateSuccession)
        migrator.registerMigration("v12: one text form for desks and labels", migrate: migrateTextForm)
        migrator.registerMigration("v13: enrollment codes", migrate: migrateEnrollmentCodes)
        migrator.registerMigration("v14: one aggregate row per cell and grain", migrate: MigrationV14.migrate)
        return migrator
    }
}
