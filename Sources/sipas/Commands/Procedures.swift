import ArgumentParser
import SipasDomain
import SipasServer

/// `sipas procedures import` and `sipas dossiers import`: the procedure catalogue and dossiers from files.
struct Procedures: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The procedures catalogue.", subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import procedures from a CSV file with the header code,name,field,level,legalDays,fullOnlineEligible,feeBearing (all or nothing)."
        )
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let database = try dataDir.open()
            try reportImport(file) { try ReferenceImports.procedures(path: file, database: database) }
        }
    }
}

struct Dossiers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Procedure dossiers.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import dossiers from a CSV file whose header names the dossier fields (same rules as POST /v1/dossiers; all or nothing)."
        )
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            let database = try dataDir.open()
            do {
                let calendar = try Assembly.options(dataDir, reference).loadReference().calendar
                let summary = try await ReferenceImports.dossiers(path: file, database: database, calendar: calendar)
                print("\(file): \(summary)")
            } catch let refused as ImportRefused {
                printError(refusal(file, refused))
                throw ExitCode.failure
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }
}
