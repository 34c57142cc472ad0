import ArgumentParser
import SipasServer

/// `sipas scorecard set`: the score of a criterion sipas cannot measure, entered with its evidence.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard", abstract: "Scores of the criteria entered by hand.", subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Enter a criterion's score with its evidence (the latest entry counts; every entry is kept and audited)."
        )

        @Option(help: "Unit code, e.g. 875.") var unit: String
        @Option(help: "Calendar year.") var year: Int
        @Option(help: "Criterion id, as `sipas report scorecard --json` lists them (kind \"entered\").") var criterion:
            String
        @Option(help: "Points, e.g. 0,4 or 0.813, from 0 to the criterion's maximum.") var points: String
        @Option(help: "What the score rests on: the document, its number and date.") var evidence: String
        @Option(help: "Rule set id (default: the one marked default in the scoring directory).") var ruleset: String?
        @OptionGroup var reference: ReferenceOptions
        @OptionGroup var dataDir: DataDirOption

        func run() async throws {
            do {
                let services = try Assembly.options(dataDir, reference).services()
                print(
                    try await services.enterScore(
                        unit: unit, year: year, ruleSet: ruleset, criterion: criterion, points: points,
                        evidence: evidence, actor: AuditActor.commandLine))
            } catch let error as OperatorError {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }
}
