import Foundation

/// What every setting has, whatever its type: the catalogue (``Settings/all``) checks the file's keys, names the
/// `SIPAS_` variables and hands lists to the environment by their separator through it.
protocol SettingDeclaration: Sendable {
    /// Dotted by level, e.g. `limits.deviceRate`.
    var key: String { get }
    /// The `SIPAS_` variable.
    var environmentName: String { get }
    /// The long option without its dashes, if a command takes one.
    var flag: String? { get }
    /// The items' separator of a list in a variable.
    var separator: Character { get }
    /// False for `config`, which names the file and so is not in it.
    var inFile: Bool { get }
    /// The refusal of a value of another type.
    var expectation: String { get }
    /// Whether a value parsed from the JSON file has the setting's type.
    func fits(json value: Any) -> Bool
}

extension Setting: SettingDeclaration {
    func fits(json value: Any) -> Bool { value is NSNull || Value.fitsSetting(json: value) }
}
