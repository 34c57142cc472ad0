import Foundation

// MARK: - The database's durability settings

extension DeploymentDoctor {
    /// Opens the database as the server does and reads back `synchronous` and `journal_mode`: an acknowledged
    /// response must survive a power cut. A missing file is reported, never created.
    func databaseCheck() -> DeploymentCheck {
        let path = configuration.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            return DeploymentCheck(
                "database", .action, "no database at \(path)",
                fix: "is --data-dir right? (sipas serve creates it on its first start)")
        }
        do {
            let database = try DataDirectory.openDatabase(configuration.dataDirectory)
            return Self.database(
                synchronous: try database.synchronousSetting(), journalMode: try database.journalMode(), path: path)
        } catch {
            return DeploymentCheck(
                "database", .action, "\(path): cannot be opened (\(error))",
                fix: "check its owner (the sipas user) and run sipas verify; restore a backup if it is damaged")
        }
    }

    /// The finding for the settings read: `synchronous` 2 (FULL) syncs every commit; WAL lets readers and the
    /// one writer work at once.
    static func database(synchronous: Int, journalMode: String, path: String) -> DeploymentCheck {
        let names = [0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"]
        let settings = "synchronous=\(names[synchronous] ?? String(synchronous)), journal_mode=\(journalMode)"
        guard synchronous >= 2, journalMode.lowercased() == "wal" else {
            return DeploymentCheck(
                "database", .action, "\(path): \(settings): a power cut may lose acknowledged responses",
                fix:
                    "this sipas does not open the database as it should (synchronous=FULL, WAL): upgrade it, and keep the file on a local disk"
            )
        }
        return DeploymentCheck("database", .ok, "\(path): \(settings)")
    }
}
