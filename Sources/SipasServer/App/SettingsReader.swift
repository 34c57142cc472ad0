import Configuration
import Foundation

/// The settings as given: swift-configuration's reader over the command-line options, then the `SIPAS_` variables,
/// then the JSON settings file (the first source that gives a setting wins), each value checked by its declaration and
/// refused with the name of its source: `--port`, `SIPAS_PORT` or `/etc/sipas/sipas.json: port`.
public struct SettingsReader: Sendable {
    /// The reader of every source, in order of precedence.
    let reader: ConfigReader
    /// Which source gave each setting read.
    private let origins: SettingOrigins
    /// `SIPAS_` variables that name no setting, each with the nearest setting's name: a typo, or a variable meant for
    /// another tool, does not stop the start.
    public let warnings: [String]

    /// The options only: a command without `--config` reads neither the file nor the environment.
    public init(flags: SettingFlags) {
        let origins = SettingOrigins(sources: [flags.provider.providerName: .option])
        self.reader = ConfigReader(providers: [flags.provider], accessReporter: origins)
        self.origins = origins
        self.warnings = []
    }

    /// The options, then `environment`'s `SIPAS_` variables, then the file that `--config` or `SIPAS_CONFIG` names.
    public init(flags: SettingFlags, environment: [String: String]) throws {
        let file = try SettingsReader(flags: flags, environment: environment, file: nil).value(Settings.config)
        try self.init(flags: flags, environment: environment, file: file ?? nil)
    }

    /// The options, then `environment`'s `SIPAS_` variables, then `file` if any.
    init(flags: SettingFlags, environment: [String: String], file: String?) throws {
        var providers: [any ConfigProvider] = [flags.provider]
        var sources = [flags.provider.providerName: SettingSource.option]
        // The environment provider splits every list at one separator, and the report's recipients (which may hold a
        // comma) are split at `;`: their variables go to a provider of their own.
        let settings = Dictionary(uniqueKeysWithValues: Settings.all.map { ($0.environmentName, $0) })
        for separator in Set(Settings.all.map(\.separator)).sorted() {
            let variables = environment.filter { settings[$0.key]?.separator == separator }
            let provider = EnvironmentVariablesProvider(environmentVariables: variables, arraySeparator: separator)
                .prefixKeys(with: "sipas")
            providers.append(provider)
            sources[provider.providerName] = .environment
        }
        if let file {
            providers.append(try SettingsFile(path: file))
            sources[SettingsFile.providerName] = .file(file)
        }
        let origins = SettingOrigins(sources: sources)
        self.reader = ConfigReader(providers: providers, accessReporter: origins)
        self.origins = origins
        self.warnings = environment.keys.sorted().filter { $0.hasPrefix("SIPAS_") && settings[$0] == nil }.map {
            let hint = Settings.nearest($0, among: Array(settings.keys)).map { "; did you mean \($0)?" } ?? ""
            return "\($0): not a sipas setting, ignored\(hint)"
        }
    }

    /// The value given for `setting`, checked by its declaration; nil when no source gives it.
    public func value<Value>(_ setting: Setting<Value>) throws -> Value? {
        let read = Value.readSetting(reader, ConfigKey(setting.key))
        guard let origin = origins.origin(of: setting.key) else { return nil }
        guard var value = read, !origin.refused else { throw refusal(setting.key, setting.expectation) }
        if origin.source == .option || origin.source == .environment {
            value = value.tidiedSetting
            if value.namesNothing { throw refusal(setting.key, "is empty; leave it unset for the default") }
        }
        if let problem = setting.problem(value) { throw refusal(setting.key, problem) }
        return value
    }

    /// Where the value of `key` came from; nil when no source gives it.
    func source(of key: String) -> SettingSource? { origins.origin(of: key)?.source }

    /// A refusal of the value of `key`, naming where it came from (the key itself when no source gave it).
    func refusal(_ key: String, _ message: String) -> OperatorError {
        guard let setting = Settings.declaration(key), let origin = origins.origin(of: key) else {
            return OperatorError("\(key): \(message)")
        }
        return OperatorError("\(origin.source.name(of: setting)): \(message)")
    }
}
