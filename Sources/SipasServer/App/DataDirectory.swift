import Foundation

/// The data directory: created on first use, readable by the service account only (it holds the
/// database and the TLS key).
public enum DataDirectory {
    /// Creates the directory if needed and opens the database in it.
    public static func openDatabase(_ directory: String) throws -> SQLiteDatabase {
        try prepare(directory)
        let path = (directory as NSString).appendingPathComponent("sipas.sqlite")
        do {
            return try SQLiteDatabase(path: path)
        } catch let error as OperatorError {
            throw error
        } catch {
            throw OperatorError("database \(path): cannot be opened (\(error))")
        }
    }

    static func prepare(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OperatorError("data directory \(directory): exists and is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw OperatorError("data directory \(directory): cannot be created (\(error.localizedDescription))")
        }
    }
}
