import ArgumentParser

/// `sipas`: the satisfaction-survey server for public administrative services, and its admin commands.
@main
struct Sipas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sipas",
        abstract: "One-stop desk satisfaction surveys and procedure timeliness for public administrative services.",
        subcommands: [
            Serve.self, Units.self, Procedures.self, Dossiers.self, DeviceCommand.self, TokenCommand.self, Report.self,
            ScorecardCommand.self, Demo.self, Verify.self, Backup.self, Restore.self, AuditCommand.self, Doctor.self,
        ],
        defaultSubcommand: nil
    )
}
