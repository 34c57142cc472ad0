import Foundation

// MARK: - Reading the URL

extension PostgresSettings {
    /// What is wrong with a database URL, in words for the operator; it never repeats the URL, which may hold a
    /// password.
    public struct URLProblem: Error, CustomStringConvertible, Equatable {
        public let description: String

        init(_ description: String) {
            self.description = description
        }
    }

    /// How a URL that carries a password is refused, wherever it carries it.
    static let passwordRefusal = URLProblem(
        """
        carries a password, which sipas never takes from the URL or the command line: write the URL without it \
        and give the password in a file (--database-password-file or SIPAS_DATABASE_PASSWORD_FILE) or in PGPASSWORD
        """)

    /// The parameters after `?` that sipas reads, as libpq names them.
    static let parameters = ["sslmode", "sslrootcert"]

    /// The settings of `postgres://user@host:port/database?sslmode=…&sslrootcert=…` (or the scheme postgresql): the port
    /// 5432 when it is left out, `sslmode` libpq's default `prefer`. A user and a database must be named; a password,
    /// several hosts, a socket directory or a parameter sipas does not read is refused with what to write instead.
    public init(url: String, passwordFile: String? = nil) throws(URLProblem) {
        guard let schemeEnd = url.range(of: "://"),
            ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound].lowercased())
        else {
            throw URLProblem(
                """
                must be a postgres:// URL, e.g. postgres://sipas@db.tinh.lan:5432/sipas; leave it unset for the \
                SQLite file in the data directory
                """)
        }
        var rest = url[schemeEnd.upperBound...]
        if rest.contains("#") { throw URLProblem("has a fragment (#…), which a database URL does not take") }
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw URLProblem("names no database: end it with /DATABASE, e.g. postgres://sipas@db.tinh.lan/sipas")
        }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]

        // user@host:port; the user's own @ and : would be percent-encoded, so the last @ ends it.
        guard let at = authority.lastIndex(of: "@") else {
            throw URLProblem("names no user: write postgres://USER@host/database")
        }
        let userInfo = authority[..<at]
        if userInfo.contains(":") { throw Self.passwordRefusal }
        let user = try Self.decoded(userInfo, "the user")
        guard !user.isEmpty else { throw URLProblem("names no user: write postgres://USER@host/database") }
        let (host, port) = try Self.hostAndPort(authority[authority.index(after: at)...])

        let database = try Self.decoded(path, "the database")
        guard !database.isEmpty else {
            throw URLProblem("names no database: end it with /DATABASE, e.g. postgres://sipas@db.tinh.lan/sipas")
        }
        guard !database.contains("/") else { throw URLProblem("names the database \(database), which holds a /") }

        let tls = try Self.tlsMode(query)
        self.init(
            host: host, port: port, user: user, database: database, tls: tls,
            password: passwordFile.map(Password.file) ?? .environment)
    }

    /// The refusal of `url`, or nil when it is a database URL sipas accepts.
    static func problem(url: String) -> String? {
        do {
            _ = try PostgresSettings(url: url)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: - Parts

    /// `host`, `host:port`, `[::1]` or `[::1]:port`.
    private static func hostAndPort(_ text: Substring) throws(URLProblem) -> (String, Int) {
        var host: Substring
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw URLProblem("has an IPv6 address without its closing ]")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw URLProblem("has something after the IPv6 address's ]") }
                port = after.dropFirst()
            }
        } else {
            host = text
            if let colon = text.lastIndex(of: ":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            }
        }
        guard !host.isEmpty else {
            throw URLProblem("names no host: write postgres://user@HOST/database (a name or an IP address)")
        }
        if host.contains(",") {
            throw URLProblem(
                "names several hosts; sipas connects to one: the primary's address, or one that follows it on failover"
            )
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_:"))
        guard host.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            throw URLProblem(
                "names the host \(host), which is not a host name or IP address (write a name with Vietnamese letters in its xn-- form)"
            )
        }
        guard let port else { return (String(host), 5432) }
        guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isASCII) else {
            throw URLProblem(
                "has the port \(port.isEmpty ? "(empty)" : String(port)), not a whole number from 1 to 65535")
        }
        return (String(host), number)
    }

    /// The mode that `sslmode` and `sslrootcert` give; `prefer` when neither is given, as for libpq.
    private static func tlsMode(_ query: Substring?) throws(URLProblem) -> TLSMode {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decoded(parts[0], "a parameter's name")
            if name == "password" { throw passwordRefusal }
            guard parameters.contains(name) else {
                throw URLProblem(
                    "has the parameter \(name), which sipas does not read (it reads \(parameters.joined(separator: " and ")))"
                )
            }
            guard values[name] == nil else { throw URLProblem("gives the parameter \(name) twice") }
            values[name] = parts.count == 2 ? try decoded(parts[1], name) : ""
        }
        let root = values["sslrootcert"]
        if let root, root.isEmpty { throw URLProblem("has an empty sslrootcert: name a PEM file of certificates") }
        let mode: TLSMode
        switch values["sslmode"] {
        case nil, "prefer": mode = .prefer
        case "disable": mode = .disable
        case "require": mode = .require
        case "verify-full": mode = .verifyFull(rootCertificate: root)
        case let other?:
            let hint =
                other == "verify-ca"
                ? " (verify-ca checks the certificate but not its name: use verify-full)"
                : other == "allow" ? " (allow tries without TLS first: use prefer)" : ""
            throw URLProblem(
                "has sslmode=\(other); sipas takes disable, prefer, require or verify-full\(hint)")
        }
        if root != nil, values["sslmode"] != "verify-full" {
            throw URLProblem(
                "has sslrootcert, which goes with sslmode=verify-full (the certificate is checked only then)")
        }
        return mode
    }

    /// `text` with its %-escapes decoded.
    private static func decoded(_ text: Substring, _ what: String) throws(URLProblem) -> String {
        guard let value = String(text).removingPercentEncoding else {
            throw URLProblem("has a malformed %-escape in \(what)")
        }
        return value
    }
}
