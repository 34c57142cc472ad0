import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Free disk space against the database

extension DeploymentDoctor {
    /// Room kept beyond the copies (bytes): the write-ahead log between checkpoints, a day's growth, the journal.
    static let diskHeadroom: UInt64 = 1_000_000_000

    /// Free space on the data directory's filesystem against the database (`sipas.sqlite` and its `-wal`).
    func diskSpaceCheck() -> DeploymentCheck {
        var stats = statvfs()
        guard statvfs(configuration.dataDirectory, &stats) == 0 else {
            return DeploymentCheck(
                "disk space", .skipped,
                "data directory \(configuration.dataDirectory): \(String(cString: strerror(errno)))",
                fix: "is --data-dir right?")
        }
        let free = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        let database = ["", "-wal"].reduce(UInt64(0)) { total, suffix in
            let size =
                (try? FileManager.default.attributesOfItem(atPath: configuration.databasePath + suffix))?[.size]
                as? NSNumber
            return total + (size?.uint64Value ?? 0)
        }
        return Self.diskSpace(free: free, database: database)
    }

    /// The rule: free space must hold two more databases and 1 GB. The next daily backup writes a complete copy
    /// before the oldest is removed, and a backup by hand before an upgrade (or the copy `sipas restore` checks)
    /// another; the gigabyte is for the write-ahead log and growth. Below it a backup fails, then writes do.
    /// - Parameters: free, database: in bytes.
    static func diskSpace(free: UInt64, database: UInt64) -> DeploymentCheck {
        let needed = 2 * database + diskHeadroom
        let summary = "\(bytes(free)) free, database \(bytes(database)) (needs 2 × database + 1 GB = \(bytes(needed)))"
        guard free >= needed else {
            return DeploymentCheck(
                "disk space", .action, summary + ": the next backup may fail, then writes",
                fix:
                    "free space on this disk (old files in the backup directory once copied elsewhere), or move the data to a larger disk"
            )
        }
        return DeploymentCheck("disk space", .ok, summary)
    }

    /// `12.3 GB`, `850 MB`, `4 KB` (powers of 1000, as `df -H` shows them).
    static func bytes(_ count: UInt64) -> String {
        let units: [(String, Double)] = [("GB", 1e9), ("MB", 1e6), ("KB", 1e3)]
        for (unit, size) in units where Double(count) >= size {
            let value = Double(count) / size
            return value < 10 ? String(format: "%.1f", value) + " \(unit)" : "\(Int(value.rounded())) \(unit)"
        }
        return "\(count) bytes"
    }
}
