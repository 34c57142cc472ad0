import ArgumentParser
import SipasDomain
import SipasServer

/// `sipas units import|list`: the administrative units (GSO codes, with validity dates).
struct Units: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administrative units.", subcommands: [Import.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import units from a CSV file with the header code,name,level,parent,validFrom,validTo[,formedFrom,formedBy] (all or nothing)."
        )

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let database = try dataDir.open()
            try reportImport(file) { try database.importUnits(try UnitsFile.rows(path: file)) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every unit version.")
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let units = try dataDir.openExisting().units()
            print(
                TextTable.render(
                    header: ["code", "name", "level", "parent", "validFrom", "validTo", "formedFrom"],
                    rows: units.map {
                        [
                            $0.code, $0.name, $0.level.rawValue, $0.parent ?? "", $0.validFrom.description,
                            $0.validTo?.description ?? "",
                            $0.formedFrom.map { $0.key + ($0.part ? " (part)" : "") }.joined(separator: ", "),
                        ]
                    }))
        }
    }
}
