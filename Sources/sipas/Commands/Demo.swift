import ArgumentParser
import Foundation
import SipasServer

/// `sipas demo seed`: fills a data directory with generated responses through the API's intake (for demonstrations
/// and benchmarks); `sipas demo dossiers`: writes a generated dossiers file.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Demonstration data.", subcommands: [Seed.self, DossiersFile.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Store generated responses to the sipas questionnaire for a unit and the units under it over a year, through the API's intake (seeded, reproducible).",
            discussion: """
                The responses come in date order from a tablet at each desk of each unit (devices labelled "demo \
                generator", registered on the first run, as many desks as a unit's busiest day needs at 40 responses \
                a desk a day) and go through the same validation, placement, aggregates, chain and group commit as \
                POST /v1/responses/batch. The same seed, unit, year and count give the same responses: a second run \
                stores none of them again and says how many were already stored; another count gives other ones.
                """
        )

        @Option(help: "How many responses.") var responses = 10_000
        @Option(help: "The year they fall in (days before today only).") var year = 2024
        @Option(
            name: [.customLong("unit"), .customLong("district")],
            help:
                "The root unit (a province or a district; --district is its old name): it and the units directly under it get the responses. The units must be imported."
        )
        var unit = "875"
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "Batches in flight at once.") var concurrency = 4
        @Option(
            help:
                "Responses per batch (at most 500, as the API takes): the next ones in date order, each desk's share sent as its device's POST /v1/responses/batch."
        )
        var batchSize = 500
        @Option(name: Settings.surveysDir.name, help: Settings.surveysDir.help("They are published first."))
        var surveysDir = Settings.surveysDir.defaultValue
        @OptionGroup var dataDir: DataDirOption

        func validate() throws {
            guard responses >= 0 else { throw ValidationError("--responses must not be negative") }
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
            guard (1...500).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 500") }
        }

        func run() async throws {
            let database = try dataDir.open()
            do {
                try await database.publishSurveys(from: surveysDir)
                let result = try await DemoResponses(year: year, seed: seed).submit(
                    count: responses, database: database, unit: unit, concurrency: concurrency, batchSize: batchSize)
                print(result.summary(unit: unit, year: year))
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
