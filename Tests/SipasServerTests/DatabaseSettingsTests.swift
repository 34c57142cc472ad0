import Foundation
import Testing

@testable import SipasServer

@Suite("The database setting: the SQLite file by default, a postgres:// URL read into PostgresSettings")
struct DatabaseSettingsTests {
    // MARK: - URLs accepted

    @Test(
        "a postgres:// URL is read into host, port, user, database and TLS mode",
        arguments: [
            Named(
                "host and database; port 5432 and sslmode prefer by default",
                (
                    "postgres://sipas@db.tinh.lan/sipas",
                    PostgresSettings(host: "db.tinh.lan", user: "sipas", database: "sipas")
                )),
            Named(
                "postgresql:// with a port and sslmode=disable",
                (
                    "postgresql://sipas@127.0.0.1:55432/sipas?sslmode=disable",
                    PostgresSettings(host: "127.0.0.1", port: 55432, user: "sipas", database: "sipas", tls: .disable)
                )),
            Named(
                "an IPv6 address in brackets, sslmode=require",
                (
                    "postgres://sipas@[::1]:5433/khaosat?sslmode=require",
                    PostgresSettings(host: "::1", port: 5433, user: "sipas", database: "khaosat", tls: .require)
                )),
            Named(
                "verify-full with the province's root certificate",
                (
                    "postgres://sipas@db.tinh.lan/sipas?sslmode=verify-full&sslrootcert=/etc/sipas/db-ca.pem",
                    PostgresSettings(
                        host: "db.tinh.lan", user: "sipas", database: "sipas",
                        tls: .verifyFull(rootCertificate: "/etc/sipas/db-ca.pem"))
                )),
            Named(
                "verify-full with the system's authorities",
                (
                    "postgres://sipas@db.tinh.lan/sipas?sslmode=verify-full",
                    PostgresSettings(
                        host: "db.tinh.lan", user: "sipas", database: "sipas", tls: .verifyFull(rootCertificate: nil))
                )),
            Named(
                "%-escapes in the user and the database",
                (
                    "POSTGRES://s%40pas@db/kh%E1%BA%A3o",
                    PostgresSettings(host: "db", user: "s@pas", database: "khảo")
                )),
        ])
    func accepted(_ example: Named<(String, PostgresSettings)>) throws {
        let (url, expected) = example.value
        #expect(try PostgresSettings(url: url) == expected)
    }

    @Test("the URL without a password names the settings in messages and logs, and reads back the same")
    func description() throws {
        for url in [
            "postgres://sipas@db.tinh.lan:5432/sipas?sslmode=prefer",
            "postgres://sipas@[::1]:5433/khaosat?sslmode=require",
            "postgres://s%40pas@db:5432/kh%E1%BA%A3o?sslmode=verify-full&sslrootcert=%2Fetc%2Fsipas%2Fca.pem",
        ] {
            let settings = try PostgresSettings(url: url)
            #expect(settings.description == url)
            #expect(try PostgresSettings(url: settings.description) == settings)
        }
    }

    // MARK: - URLs refused

    @Test(
        "a URL sipas cannot use is refused with what is wrong",
        arguments: [
            Named("not a URL", ("db.tinh.lan/sipas", "must be a postgres:// URL")),
            Named("another scheme", ("mysql://sipas@db/sipas", "must be a postgres:// URL")),
            Named("a SQLite path", ("/var/lib/sipas/sipas.sqlite", "leave it unset for the SQLite file")),
            Named("no user", ("postgres://db.tinh.lan/sipas", "names no user")),
            Named("an empty user", ("postgres://@db.tinh.lan/sipas", "names no user")),
            Named("no host", ("postgres://sipas@/sipas", "names no host")),
            Named("no database", ("postgres://sipas@db.tinh.lan", "names no database")),
            Named("an empty database", ("postgres://sipas@db.tinh.lan/", "names no database")),
            Named("a database with a slash", ("postgres://sipas@db/a/b", "holds a /")),
            Named("a port out of range", ("postgres://sipas@db:65536/sipas", "has the port 65536, not a whole number")),
            Named("a port that is not a number", ("postgres://sipas@db:pg/sipas", "has the port pg")),
            Named("an empty port", ("postgres://sipas@db:/sipas", "has the port (empty)")),
            Named("several hosts", ("postgres://sipas@db1,db2/sipas", "names several hosts")),
            Named("a socket directory", ("postgres://sipas@%2Fvar%2Frun%2Fpostgresql/sipas", "not a host name")),
            Named("an unclosed IPv6 address", ("postgres://sipas@[::1/sipas", "without its closing ]")),
            Named("sslmode verify-ca", ("postgres://sipas@db/sipas?sslmode=verify-ca", "use verify-full")),
            Named("an unknown sslmode", ("postgres://sipas@db/sipas?sslmode=on", "takes disable, prefer, require")),
            Named("sslrootcert without verify-full", ("postgres://sipas@db/sipas?sslrootcert=/ca.pem", "goes with")),
            Named(
                "an unknown parameter", ("postgres://sipas@db/sipas?application_name=x", "parameter application_name")),
            Named("a parameter given twice", ("postgres://sipas@db/sipas?sslmode=require&sslmode=disable", "twice")),
            Named("a fragment", ("postgres://sipas@db/sipas#main", "has a fragment")),
            Named("a malformed escape", ("postgres://si%zzpas@db/sipas", "malformed %-escape in the user")),
        ])
    func refused(_ example: Named<(String, String)>) {
        let (url, message) = example.value
        let error = #expect(throws: PostgresSettings.URLProblem.self) { try PostgresSettings(url: url) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
    }

    @Test(
        "a URL that carries a password is refused, saying how to give it, and the password is never repeated",
        arguments: [
            "postgres://sipas:b%C3%AD-m%E1%BA%ADt@db.tinh.lan/sipas", "postgres://sipas:@db.tinh.lan/sipas",
            "postgres://:b%C3%AD-m%E1%BA%ADt@db.tinh.lan/sipas",
            "postgres://sipas@db.tinh.lan/sipas?password=b%C3%AD-m%E1%BA%ADt",
        ])
    func password(_ url: String) throws {
        let error = #expect(throws: PostgresSettings.URLProblem.self) { try PostgresSettings(url: url) }
        let message = error?.description ?? ""
        #expect(message.contains("carries a password"))
        #expect(message.contains("--database-password-file") && message.contains("PGPASSWORD"))
        #expect(!message.contains("b%C3%AD") && !message.contains("bí-mật"))
        // Through the settings, the source is named and the password still not repeated.
        let refusal = SettingsTests.refusal { try SettingsTests.read(options: { $0.set(Settings.database, url) }) }
        #expect(refusal.hasPrefix("--database: carries a password"), "\(refusal)")
        #expect(!refusal.contains("b%C3%AD") && !refusal.contains("bí-mật"))
    }

    // MARK: - Through the settings

    @Test("without the setting the data is in the data directory's SQLite file")
    func sqliteByDefault() throws {
        let configuration = try SettingsTests.read(options: { $0.set(Settings.dataDir, "/var/lib/sipas") })
        #expect(configuration.postgres == nil)
        #expect(configuration.databaseLocation == .sqlite(path: "/var/lib/sipas/sipas.sqlite"))
        try configuration.requireAvailableDatabase()
    }

    @Test("the database comes from --database, SIPAS_DATABASE or the file, its password file likewise")
    func eachSource() throws {
        let url = "postgres://sipas@db.tinh.lan/sipas?sslmode=require"
        let expected = PostgresSettings(
            host: "db.tinh.lan", user: "sipas", database: "sipas", tls: .require,
            password: .file("/etc/sipas/db-password"))
        let fromOptions = try SettingsTests.read(options: {
            $0.set(Settings.database, url)
            $0.set(Settings.databasePasswordFile, "/etc/sipas/db-password")
        })
        #expect(fromOptions.databaseLocation == .postgres(expected))
        let fromEnvironment = try SettingsTests.read(environment: [
            "SIPAS_DATABASE": url, "SIPAS_DATABASE_PASSWORD_FILE": "/etc/sipas/db-password",
        ])
        #expect(fromEnvironment.postgres == expected)
        let fromFile = try SettingsTests.read(
            json: #"{"database": "\#(url)", "databasePasswordFile": "/etc/sipas/db-password"}"#)
        #expect(fromFile.postgres == expected)
        // Without a file, PGPASSWORD (if set when connecting).
        let fromEnvironmentOnly = try SettingsTests.read(environment: ["SIPAS_DATABASE": url])
        #expect(fromEnvironmentOnly.postgres?.password == .environment)
        // An option wins over the variable.
        let both = try SettingsTests.read(
            options: { $0.set(Settings.database, "postgres://other@db2/other") }, environment: ["SIPAS_DATABASE": url])
        #expect(both.postgres?.host == "db2")
    }

    /// Bad settings: the environment, the file, and the start of the refusal's message.
    static let badSettings: [Named<([String: String], String?, String)>] = [
        Named(
            "a URL with a password, from the environment",
            (
                ["SIPAS_DATABASE": "postgres://sipas:x@db/sipas"], nil,
                "SIPAS_DATABASE: carries a password"
            )),
        Named(
            "an unknown sslmode, from the file",
            ([:], #"{"database": "postgres://sipas@db/sipas?sslmode=maybe"}"#, ": database: has sslmode=maybe")),
        Named(
            "a password file without a database",
            (
                ["SIPAS_DATABASE_PASSWORD_FILE": "/etc/sipas/db-password"], nil,
                "SIPAS_DATABASE_PASSWORD_FILE: goes with"
            )),
        Named(
            "a database that is not text, in the file",
            ([:], #"{"database": 5432}"#, ": database: must be text")),
        Named(
            "a path instead of a URL, from the environment",
            (
                ["SIPAS_DATABASE": "/var/lib/sipas/sipas.sqlite"], nil,
                "SIPAS_DATABASE: must be a postgres:// URL"
            )),
    ]

    @Test("a bad database setting is refused naming its source", arguments: badSettings)
    func refusedSettings(_ example: Named<([String: String], String?, String)>) {
        let (environment, json, message) = example.value
        let refusal = SettingsTests.refusal { try SettingsTests.read(environment: environment, json: json) }
        #expect(refusal.contains(message), "\(refusal)")
    }

    @Test("a command given a PostgreSQL database stops: this build holds no PostgreSQL storage yet")
    func notYetAvailable() throws {
        let configuration = try SettingsTests.read(options: {
            $0.set(Settings.database, "postgres://sipas@db.tinh.lan/sipas")
        })
        let error = #expect(throws: OperatorError.self) { try configuration.requireAvailableDatabase() }
        let message = error?.description ?? ""
        #expect(message.contains("postgres://sipas@db.tinh.lan:5432/sipas"))
        #expect(message.contains("PostgreSQL is not yet available in this build"))
    }
}
