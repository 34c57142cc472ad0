import ArgumentParser
import Foundation
import SipasServer

/// `sipas demo seed`: fills a data directory with generated responses (for demonstrations and benchmarks).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Demonstration data.", subcommands: [Seed.self, DossiersFile.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Store generated responses to the sipas questionnaire for a district and its communes over a year (seeded, reproducible)."
        )

        @Option(help: "How many responses.") var responses = 10_000
        @Option(help: "The year they fall in.") var year = 2024
        @Option(help: "District code; the units must be imported.") var district = "875"
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(name: Settings.surveysDir.name, help: Settings.surveysDir.help("They are published first."))
        var surveysDir = Settings.surveysDir.defaultValue
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            let database = try dataDir.open()
            let started = Date()
            do {
                try await database.publishSurveys(from: surveysDir)
                let stored = try await DemoResponses(year: year, seed: seed).seed(
                    count: responses, database: database, district: district)
                let seconds = Date().timeIntervalSince(started)
                print("stored \(stored) responses for \(district) in \(year) in \(String(format: "%.1f", seconds)) s")
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct DossiersFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dossiers",
            abstract:
                "Write a generated year of dossiers for a district and its communes as a dossiers CSV (seeded, reproducible)."
        )

        @Option(help: "How many dossiers.") var count = 4_000
        @Option(help: "The year they are received in.") var year = 2024
        @Option(help: "District code; units and procedures must be imported.") var district = "875"
        @Option(help: "Random seed.") var seed: UInt64 = 7
        @Option(help: "The CSV file to write.") var out: String
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            let database = try dataDir.open()
            do {
                let calendar = try Assembly.options(dataDir, reference).loadReference().calendar
                let text = try await DemoDossiers(year: year, seed: seed).csv(
                    count: count, district: district, database: database, calendar: calendar)
                try text.write(toFile: out, atomically: true, encoding: .utf8)
                print("wrote \(count) dossiers to \(out)")
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }
}
