import Configuration

/// The settings given as command-line options, as swift-argument-parser parsed them, for the reader to take first.
///
/// swift-configuration's own `CommandLineArgumentsProvider` parses `CommandLine.arguments` a second time, without
/// knowing which options take a value: in `sipas units import --data-dir data units.csv` it reads `units.csv` as a
/// second value of `--data-dir` and then no data directory at all (a text takes exactly one value), and it splits every
/// value at its commas, so `--data-dir /srv/a,b` is two. The values swift-argument-parser parsed are handed to an
/// `InMemoryProvider` instead.
public struct SettingFlags: Sendable {
    /// The values by key.
    private(set) var values: [AbsoluteConfigKey: ConfigValue] = [:]

    public init() {}

    /// `value` as given for `setting`; nil: the option was not given. A list's items are split at the setting's
    /// separator, as a variable's would be (`--tls-name a,b` names two).
    public mutating func set<Value: SettingValue>(_ setting: Setting<Value>, _ value: Value?) {
        guard let content = value?.splitSetting(at: setting.separator).settingContent else { return }
        values[AbsoluteConfigKey(ConfigKey(setting.key))] = ConfigValue(content, isSecret: false)
    }

    /// The provider of these values.
    var provider: InMemoryProvider { InMemoryProvider(name: "options", values: values) }
}
