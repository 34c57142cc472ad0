import Foundation

/// Where a PostgreSQL database is and how sipas signs in to it, read from a `postgres://user@host:port/database` URL
/// (``init(url:passwordFile:)``). The password is never part of it: it comes from a file or from `PGPASSWORD`.
public struct PostgresSettings: Sendable, Equatable {
    /// How the connection is encrypted: libpq's `sslmode` values that sipas accepts.
    public enum TLSMode: Sendable, Equatable {
        /// No TLS (`sslmode=disable`): a database on the same machine or a trusted private network.
        case disable
        /// TLS if the server offers it, unverified, else plain (`sslmode=prefer`, libpq's default).
        case prefer
        /// TLS or no connection, the certificate unverified (`sslmode=require`).
        case require
        /// TLS with the server's certificate checked against `rootCertificate` (a PEM file; nil: the system's trusted
        /// authorities) and its name against the host (`sslmode=verify-full`, `sslrootcert=FILE`).
        case verifyFull(rootCertificate: String?)
    }

    /// Where the password comes from.
    public enum Password: Sendable, Equatable {
        /// The whole file, one line break at its end dropped (`--database-password-file`,
        /// `SIPAS_DATABASE_PASSWORD_FILE`).
        case file(String)
        /// `PGPASSWORD` when it is set when connecting, as libpq reads it; else none (a server that trusts the
        /// connection, by `pg_hba.conf`).
        case environment
    }

    /// A host name or IP address (an IPv6 address without its brackets).
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    public var password: Password

    public init(
        host: String, port: Int = 5432, user: String, database: String, tls: TLSMode = .prefer,
        password: Password = .environment
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.tls = tls
        self.password = password
    }
}

extension PostgresSettings: CustomStringConvertible {
    /// The URL without a password, for logs and messages: `postgres://sipas@db.tinh.lan:5432/sipas?sslmode=require`.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(Self.encoded(user))@\(shownHost):\(port)/\(Self.encoded(database))"
        text += "?sslmode=\(tls.sslmode)"
        if case .verifyFull(let root?) = tls { text += "&sslrootcert=\(Self.encoded(root))" }
        return text
    }

    /// `text` with everything but RFC 3986's unreserved characters percent-encoded.
    private static func encoded(_ text: String) -> String {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

extension PostgresSettings.TLSMode {
    /// The `sslmode` value of the mode.
    public var sslmode: String {
        switch self {
        case .disable: "disable"
        case .prefer: "prefer"
        case .require: "require"
        case .verifyFull: "verify-full"
        }
    }
}
