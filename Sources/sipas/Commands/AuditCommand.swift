import ArgumentParser
import Foundation
import SipasDomain
import SipasServer

/// `sipas audit`: the administrative actions recorded in the database, newest first.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List administrative actions (devices, tokens, imports, restores, erasures), newest first.")

    @OptionGroup var dataDir: DataDirOption
    @Option(help: "Only actions at or after this time (RFC 3339, e.g. 2026-11-01T00:00:00+07:00).") var since: String?
    @Option(help: "At most this many entries.") var limit = 100

    func validate() throws {
        if let since, Timestamp.parse(since) == nil {
            throw ValidationError("--since must be an RFC 3339 date-time with offset")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let database = try dataDir.openExisting()
        let entries = try database.auditEntries(
            since: since.flatMap(Timestamp.parse).map(Timestamp.format), limit: limit)
        print(
            TextTable.render(
                header: ["id", "at", "action", "actor", "detail"],
                rows: entries.map { [String($0.id), $0.at, $0.action, $0.actor, $0.detail] }))
    }
}
