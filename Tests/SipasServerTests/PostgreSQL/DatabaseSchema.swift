import Foundation
import GRDB
import PostgresNIO

@testable import SipasServer

/// A schema as both engines can be compared on it: names in lower case (PostgreSQL folds the unquoted ones).
struct DatabaseSchema: Sendable {
    struct Column: Sendable, Equatable {
        let name: String
        /// As the engine names it: `INTEGER`, `TEXT`, `BLOB` in SQLite; `bigint`, `boolean`, `bytea`… in PostgreSQL.
        let type: String
        let notNull: Bool
    }

    /// Each table's columns, in order.
    var columns: [String: [Column]] = [:]
    /// Each table's primary key columns, in order.
    var primaryKeys: [String: [String]] = [:]
    /// `table(columns) → table(columns)`, with ` ON DELETE CASCADE` when it cascades.
    var foreignKeys: Set<String> = []
    /// `table(columns)` of each UNIQUE constraint.
    var uniques: Set<String> = []
    /// The indexes made by name (not by a key or constraint), and whether each is partial.
    var indexes: [String: Bool] = [:]
}

extension DatabaseSchema.Column {
    /// Whether a PostgreSQL column of `type` holds what this SQLite column holds: an INTEGER an integer of either
    /// width or a boolean (SQLite's 0/1), a TEXT a text, a BLOB a bytea.
    func fits(_ type: String) -> Bool {
        switch self.type {
        case "INTEGER": ["integer", "bigint", "boolean"].contains(type)
        case "TEXT": type == "text"
        case "BLOB": type == "bytea"
        default: false
        }
    }
}

/// The schema of a SQLite database, from its catalogue and pragmas.
enum SQLiteSchema {
    static func read(_ database: SQLiteDatabase) async throws -> DatabaseSchema {
        try await database.writer.read { (db: Database) throws -> DatabaseSchema in
            var schema = DatabaseSchema()
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                    """)
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))")
                // A primary key column is NOT NULL in PostgreSQL, whether or not SQLite says so.
                schema.columns[table] = columns.map {
                    DatabaseSchema.Column(
                        name: ($0["name"] as String).lowercased(), type: $0["type"],
                        notNull: ($0["notnull"] as Int) == 1 || ($0["pk"] as Int) > 0)
                }
                schema.primaryKeys[table] = columns.filter { ($0["pk"] as Int) > 0 }.sorted {
                    ($0["pk"] as Int) < ($1["pk"] as Int)
                }
                .map { ($0["name"] as String).lowercased() }
                let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table))")
                for key in Dictionary(grouping: keys, by: { $0["id"] as Int }).values {
                    let ordered = key.sorted { ($0["seq"] as Int) < ($1["seq"] as Int) }
                    let from = ordered.map { ($0["from"] as String).lowercased() }.joined(separator: ",")
                    let to = ordered.map { ($0["to"] as String).lowercased() }.joined(separator: ",")
                    let cascade = (ordered[0]["on_delete"] as String) == "CASCADE" ? " ON DELETE CASCADE" : ""
                    schema.foreignKeys.insert("\(table)(\(from)) → \(ordered[0]["table"] as String)(\(to))\(cascade)")
                }
                for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\(table))")
                where (index["origin"] as String) == "u" {
                    let name: String = index["name"]
                    let columns = try Row.fetchAll(db, sql: "PRAGMA index_info(\(name))").sorted {
                        ($0["seqno"] as Int) < ($1["seqno"] as Int)
                    }.map { ($0["name"] as String).lowercased() }
                    schema.uniques.insert("\(table)(\(columns.joined(separator: ",")))")
                }
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            {
                schema.indexes[row["name"] as String] = (row["sql"] as String).uppercased().contains(" WHERE ")
            }
            return schema
        }
    }
}

/// The schema of a PostgreSQL database's current schema, from its catalogue.
enum PostgresSchema {
    static func read(_ client: PostgresClient) async throws -> DatabaseSchema {
        var schema = DatabaseSchema()
        let columns = try await client.query(
            """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
            WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0
                AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """)
        for try await (table, name, type, notNull) in columns.decode((String, String, String, Bool).self) {
            schema.columns[table, default: []].append(DatabaseSchema.Column(name: name, type: type, notNull: notNull))
        }
        let constraints = try await client.query(
            """
            SELECT con.contype::text, cl.relname::text,
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.n)
                    FROM unnest(con.conkey) WITH ORDINALITY AS k (attnum, n)
                    JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                coalesce(ref.relname::text, ''),
                coalesce((SELECT string_agg(a.attname::text, ',' ORDER BY k.n)
                    FROM unnest(con.confkey) WITH ORDINALITY AS k (attnum, n)
                    JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.attnum), ''),
                con.confdeltype::text
            FROM pg_constraint AS con JOIN pg_class AS cl ON cl.oid = con.conrelid
                LEFT JOIN pg_class AS ref ON ref.oid = con.confrelid
            WHERE con.contype IN ('p', 'u', 'f') AND cl.relnamespace = current_schema()::regnamespace
            """)
        for try await (kind, table, columns, referenced, referencedColumns, onDelete) in constraints.decode(
            (String, String, String, String, String, String).self)
        {
            switch kind {
            case "p": schema.primaryKeys[table] = columns.split(separator: ",").map(String.init)
            case "u": schema.uniques.insert("\(table)(\(columns))")
            default:
                let cascade = onDelete == "c" ? " ON DELETE CASCADE" : ""
                schema.foreignKeys.insert("\(table)(\(columns)) → \(referenced)(\(referencedColumns))\(cascade)")
            }
        }
        let indexes = try await client.query(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        for try await (name, definition) in indexes.decode((String, String).self) {
            schema.indexes[name] = definition.contains(" WHERE ")
        }
        return schema
    }
}
