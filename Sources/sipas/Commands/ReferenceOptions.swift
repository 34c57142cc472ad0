import ArgumentParser
import SipasServer

/// `--calendar-dir` and `--scoring-dir`: the working calendar and the scoring rule sets.
struct ReferenceOptions: SettingOptions {
    @Option(name: Settings.calendarDir.name, help: Settings.calendarDir.help())
    var calendarDir = Settings.calendarDir.defaultValue
    @Option(name: Settings.scoringDir.name, help: Settings.scoringDir.help())
    var scoringDir = Settings.scoringDir.defaultValue

    func give(to flags: inout SettingFlags) {
        flags.set(Settings.calendarDir, calendarDir)
        flags.set(Settings.scoringDir, scoringDir)
    }
}
