import Configuration
import Foundation

/// The JSON settings file as a swift-configuration provider, checked first for what the library does not check.
///
/// swift-configuration's JSON snapshot has no list of keys, so a typo (`limits.deviceRte`) would be a setting nobody
/// reads, silently at its default; and it reads `1` as `true` and `true` as `1`. Both are refused here, by the
/// catalogue, with the file and key named. `FileProvider<JSONSnapshot>` would then read the file again (in an async
/// initializer): its snapshot, the same parser, is made from the bytes read here instead, and served as a provider.
struct SettingsFile: ConfigProvider {
    /// The file's path, to name it.
    let path: String
    /// The library's parse of the file.
    private let contents: JSONSnapshot

    /// Reads and checks the file: a JSON object whose keys are all settings, each of its setting's type.
    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): the configuration file cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw OperatorError("\(path): not a JSON object (see Deploy/sipas.json.example)")
        }
        try Self.check(object, prefix: "", path: path)
        do {
            contents = try JSONSnapshot(data: data.bytes, providerName: Self.providerName, parsingOptions: .default)
        } catch {
            throw OperatorError("\(path): \(error)")
        }
    }

    /// Refuses a key that is no setting, with the nearest setting's name, and a value not of its setting's type.
    private static func check(_ object: [String: Any], prefix: String, path: String) throws {
        let keys = Settings.all.filter(\.inFile).map(\.key)
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            guard let setting = Settings.declaration(key), setting.inFile else {
                if let nested = value as? [String: Any] {
                    try check(nested, prefix: key, path: path)
                    continue
                }
                let hint = Settings.nearest(key, among: keys).map { " (did you mean \($0)?)" } ?? ""
                throw OperatorError("\(path): unknown setting '\(key)'\(hint)")
            }
            guard setting.fits(json: value) else {
                // An empty JSON array is of a list's type only.
                let array = value is String && setting.fits(json: [Any]()) ? " (a JSON array)" : ""
                throw OperatorError("\(path): \(key): \(setting.expectation)\(array)")
            }
        }
    }

    static let providerName = "SettingsFile"
    var providerName: String { Self.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try contents.value(forKey: key, type: type)
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    // The library is built with nonisolated(nonsending) by default, which its requirements' closures carry.
    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey, type: ConfigType,
        updatesHandler:
            nonisolated(nonsending) (ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>) async throws ->
            Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { contents }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler:
            nonisolated(nonsending) (ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
