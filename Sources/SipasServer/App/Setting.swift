import Foundation

/// One setting, declared once (in ``Settings``): its key in the settings file, from which its `SIPAS_` variable
/// follows, its type, default, the values it accepts, its help and the option that gives it on the command line.
public struct Setting<Value: SettingValue>: Sendable {
    /// Dotted by level: `limits.deviceRate` is `{"limits": {"deviceRate": …}}` in the file.
    public let key: String
    /// The value when no source gives one.
    public let defaultValue: Value
    /// The long option that gives it, without its dashes (`device-rate`); nil: only the file and the environment do.
    public let flag: String?
    /// What it means, in one sentence, for `--help`.
    public let help: String
    /// The refusal of a value of another type, e.g. "must be a whole number from 1 to 65535".
    let expectation: String
    /// The refusal of a value of the right type, or nil when it is accepted.
    let problem: @Sendable (Value) -> String?
    /// What separates the items of a list in a variable or an option (`tls.names` a `,`, `report.recipients` a `;`, as
    /// a recipient may hold a comma).
    let separator: Character
    /// False for the one setting that names the file itself (`--config`, `SIPAS_CONFIG`).
    let inFile: Bool

    init(
        _ key: String, default defaultValue: Value, flag: String? = nil, help: String,
        expectation: String = Value.settingExpectation, separator: Character = ",", inFile: Bool = true,
        problem: @escaping @Sendable (Value) -> String? = { _ in nil }
    ) {
        self.key = key
        self.defaultValue = defaultValue
        self.flag = flag
        self.help = help
        self.expectation = expectation
        self.problem = problem
        self.separator = separator
        self.inFile = inFile
    }

    /// The environment variable: `SIPAS_` and the key in capitals, `_` between words and levels
    /// (`limits.deviceRate` → `SIPAS_LIMITS_DEVICE_RATE`).
    public var environmentName: String { Settings.environmentName(key) }

    /// The default as `--help` shows it: nil for a setting that is unset by default.
    public var defaultText: String? { defaultValue.settingText }
}

extension Setting where Value == Int {
    /// A whole number within `range`; a value outside it or of another type is refused with the range.
    init(_ key: String, default defaultValue: Int, range: ClosedRange<Int>, flag: String? = nil, help: String) {
        let expectation = "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        self.init(key, default: defaultValue, flag: flag, help: help, expectation: expectation) {
            range.contains($0) ? nil : expectation
        }
    }
}

extension Setting where Value == Double {
    /// A finite number within `range`.
    init(_ key: String, default defaultValue: Double, range: ClosedRange<Double>, flag: String? = nil, help: String) {
        let expectation = "must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())"
        self.init(key, default: defaultValue, flag: flag, help: help, expectation: expectation) {
            $0.isFinite && range.contains($0) ? nil : expectation
        }
    }
}
