import Foundation
import ArgumentParser
import SipasDomain
import SipasServer

extension Reports.Format: ExpressibleByArgument {}

/// `sipas report index`: the satisfaction index of a unit, as a table, JSON or CSV.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports from the stored figures.", subcommands: [Index.self, Scorecard.self, Print.self])

    struct Index: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The satisfaction index of a unit for a year or a period (Vietnamese labels, small-sample marks)."
        )

        @Option(help: "Unit code, e.g. 875.") var unit: String
        @Option(help: "Calendar year (or give --from and --to).") var year: String?
        @Option(help: "First day, YYYY-MM-DD.") var from: String?
        @Option(help: "Last day, YYYY-MM-DD.") var to: String?
        @Option(help: "Survey id.") var survey = "sipas"
        @Option(
            name: .customLong("group-by"),
            help: "element, item, unit, procedure, channel, month, quarter, year or timeliness.")
        var groupBy: String?
        @Option(help: "table, json or csv.") var format: Reports.Format = .table
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            guard year != nil || (from != nil && to != nil) else {
                throw ValidationError("give --year, or --from and --to as YYYY-MM-DD")
            }
            // The same reading of a period as the API's (from/to override the year's ends), problems named by flag.
            let period: Period
            switch Period.read(.init(from: from, to: to, year: year), today: LocalDate(Date())) {
            case .success(let read): period = read
            case .failure(let invalid):
                // The API's words, with the parameters named as this command's options.
                let flags = { (text: String) in
                    text.replacingOccurrences(of: "before from ", with: "before --from ")
                        .replacingOccurrences(of: "before year's", with: "before --year's")
                }
                throw ValidationError(
                    invalid.problems.map { "--\($0.field): \(flags($0.message))" }.joined(separator: "; "))
            }
            let assembly = try Assembly.options(dataDir)
            let database = try dataDir.openExisting()
            do {
                print(
                    try await assembly.indexReport(
                        database: database, unit: unit, period: period, survey: survey, groupBy: groupBy,
                        format: format))
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct Scorecard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The scorecard of a unit for a year: each criterion's figure and points, the way the plan writes it.")

        @Option(help: "Unit code, e.g. 875.") var unit: String
        @Option(help: "Calendar year.") var year: Int
        @Option(help: "Rule set id (default: the one marked default in the scoring directory).") var ruleset: String?
        @Flag(help: "JSON instead of text.") var json = false
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            do {
                let services = try Assembly.options(dataDir, reference).services()
                print(try await services.scorecardReport(unit: unit, year: year, ruleSet: ruleset, json: json))
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The printed report of a unit for a year, in the form of NĐ 30/2020/NĐ-CP, as a PDF (headless Chromium).",
            discussion: """
                The same document as /dashboard/print, read as an admin. The issuing body, place, signer and recipients \
                come from the report.* settings of the configuration file (or SIPAS_REPORT_… variables), else from the unit.
                """)

        @Option(help: "Unit code, e.g. 875.") var unit: String
        @Option(help: "Calendar year.") var year: Int
        @Option(help: "The PDF to write.") var out = "report.pdf"
        @Option(help: "Also write the HTML document here.") var html: String?
        @Option(
            name: Settings.config.name,
            help: Settings.config.help("Its report.* and webDir settings.", sources: true))
        var config: String?
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            // The options of this command always give the data directory and the reference files (their defaults
            // included), so only the printed report's frame and the web directory come from the file or variables.
            var flags = SettingFlags()
            flags.set(Settings.config, config)
            dataDir.give(to: &flags)
            reference.give(to: &flags)
            do {
                let services = try Assembly.settings(flags).services()
                let document = try await services.printedReport(unit: unit, year: year)
                if let html { try Data(document.utf8).write(to: URL(fileURLWithPath: html)) }
                try ReportPrint.pdf(html: document, out: out)
                print("wrote \(out)")
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }
}
