import ArgumentParser
import SipasServer

/// `--calendar-dir` and `--scoring-dir`: the working calendar and the scoring rule sets.
struct ReferenceOptions: ParsableArguments {
    @Option(name: .customLong("calendar-dir"), help: "Holiday files, one a year, and rules.json.") var calendarDir =
        "Deploy/calendar"
    @Option(name: .customLong("scoring-dir"), help: "Scoring rule sets.") var scoringDir = "Deploy/scoring"

    func load() throws -> ReferenceData {
        try ReferenceData.load(calendarDirectory: calendarDir, scoringDirectory: scoringDir)
    }
}
