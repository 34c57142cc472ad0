/// Where sipas keeps its data: the SQLite file in the data directory (the default, and all a commune office needs), or
/// a PostgreSQL database that several instances share (a province; `--database postgres://…`, `SIPAS_DATABASE`).
public enum DatabaseLocation: Sendable, Equatable {
    /// The SQLite file at this path (`sipas.sqlite` in the data directory).
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresSettings)
}

extension DatabaseLocation: CustomStringConvertible {
    /// The file's path, or the URL without a password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let settings): settings.description
        }
    }
}
