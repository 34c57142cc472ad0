import Configuration
import Foundation
import Logging

/// A type a setting can have: how swift-configuration's reader gets it, how an option's value is handed to that reader,
/// and what the settings file must hold for it.
public protocol SettingValue: Sendable {
    /// The value at `key`, or nil when no source gives it or its source holds something else (``SettingOrigins``
    /// then tells which source).
    static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Self?
    /// The refusal of a value of another type: "must be a whole number".
    static var settingExpectation: String { get }
    /// Whether a value parsed from the JSON file is of this type. The library reads JSON `1` as `true` and `true` as
    /// `1`; sipas refuses both, as it always has.
    static func fitsSetting(json value: Any) -> Bool
    /// The value as a command-line option hands it to the reader; nil: not given.
    var settingContent: ConfigContent? { get }
    /// The value as `--help` shows a default; nil: none.
    var settingText: String? { get }
    /// The value as an option gave it, a list's texts split at `separator` as a variable's are.
    func splitSetting(at separator: Character) -> Self
    /// The value as a variable or an option gave it, tidied: a list's texts trimmed, the empty ones dropped.
    var tidiedSetting: Self { get }
    /// Whether it names nothing (a list without items), which a variable or an option may not mean: it would silently
    /// be the default.
    var namesNothing: Bool { get }
}

/// An item of a list setting (`stuffing.officeDays`, `tls.names`): a whole number or a text.
public protocol SettingListItem: SettingValue {
    /// The list at `key`, as ``SettingValue/readSetting(_:_:)`` reads one value.
    static func readSettingList(_ reader: ConfigReader, _ key: ConfigKey) -> [Self]?
    /// The refusal of anything but such a list: "must be a list of texts".
    static var settingListExpectation: String { get }
    /// The list as an option hands it to the reader.
    static func settingListContent(_ items: [Self]) -> ConfigContent
    /// The items, texts split at `separator`.
    static func splitSettingList(_ items: [Self], at separator: Character) -> [Self]
    /// The items, texts trimmed and the empty ones dropped.
    static func tidySettingList(_ items: [Self]) -> [Self]
}

extension SettingValue {
    public func splitSetting(at separator: Character) -> Self { self }
    public var tidiedSetting: Self { self }
    public var namesNothing: Bool { false }

    /// JSON's true and false arrive as NSNumber too; only their type code tells them from 1 and 0.
    static func isJSONBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        let code = String(cString: number.objCType)
        return code == "c" || code == "B"
    }

    /// A JSON number that is not true or false.
    static func isJSONNumber(_ value: Any) -> Bool { value is NSNumber && !isJSONBool(value) }
}

extension SettingListItem {
    public static func splitSettingList(_ items: [Self], at separator: Character) -> [Self] { items }
    public static func tidySettingList(_ items: [Self]) -> [Self] { items }
}

extension String: SettingListItem {
    public static func splitSettingList(_ items: [String], at separator: Character) -> [String] {
        items.flatMap { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
    }
    public static func tidySettingList(_ items: [String]) -> [String] {
        items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> String? { reader.string(forKey: key) }
    public static func readSettingList(_ reader: ConfigReader, _ key: ConfigKey) -> [String]? {
        reader.stringArray(forKey: key)
    }
    public static var settingExpectation: String { "must be text" }
    public static var settingListExpectation: String { "must be a list of texts" }
    public static func fitsSetting(json value: Any) -> Bool { value is String }
    public static func settingListContent(_ items: [String]) -> ConfigContent { .stringArray(items) }
    public var settingContent: ConfigContent? { .string(self) }
    public var settingText: String? { self }
}

extension Int: SettingListItem {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Int? { reader.int(forKey: key) }
    public static func readSettingList(_ reader: ConfigReader, _ key: ConfigKey) -> [Int]? {
        reader.intArray(forKey: key)
    }
    public static var settingExpectation: String { "must be a whole number" }
    public static var settingListExpectation: String { "must be a list of whole numbers" }
    public static func fitsSetting(json value: Any) -> Bool { isJSONNumber(value) }
    public static func settingListContent(_ items: [Int]) -> ConfigContent { .intArray(items) }
    public var settingContent: ConfigContent? { .int(self) }
    public var settingText: String? { String(self) }
}

extension Double: SettingValue {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Double? { reader.double(forKey: key) }
    public static var settingExpectation: String { "must be a number" }
    public static func fitsSetting(json value: Any) -> Bool { isJSONNumber(value) }
    public var settingContent: ConfigContent? { .double(self) }
    public var settingText: String? { formatted() }
}

extension Bool: SettingValue {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Bool? { reader.bool(forKey: key) }
    public static var settingExpectation: String { "must be true or false" }
    public static func fitsSetting(json value: Any) -> Bool { isJSONBool(value) }
    public var settingContent: ConfigContent? { .bool(self) }
    /// Off goes without saying, as for any option that is a switch.
    public var settingText: String? { self ? "true" : nil }
}

extension Array: SettingValue where Element: SettingListItem {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> [Element]? {
        Element.readSettingList(reader, key)
    }
    public static var settingExpectation: String { Element.settingListExpectation }
    public static func fitsSetting(json value: Any) -> Bool {
        (value as? [Any])?.allSatisfy(Element.fitsSetting(json:)) == true
    }
    public var settingContent: ConfigContent? { Element.settingListContent(self) }
    public var settingText: String? { isEmpty ? nil : compactMap(\.settingText).joined(separator: ",") }
    public func splitSetting(at separator: Character) -> [Element] { Element.splitSettingList(self, at: separator) }
    public var tidiedSetting: [Element] { Element.tidySettingList(self) }
    public var namesNothing: Bool { isEmpty }
}

extension Logger.Level: SettingValue {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Logger.Level? {
        reader.string(forKey: key, as: Logger.Level.self)
    }
    public static var settingExpectation: String {
        "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))"
    }
    public static func fitsSetting(json value: Any) -> Bool { value is String }
    public var settingContent: ConfigContent? { .string(rawValue) }
    public var settingText: String? { rawValue }
}

/// A setting unset by default (`publicURL`, `tls.cert`…): nil is "not set", never a value a source gives.
extension Optional: SettingValue where Wrapped: SettingValue {
    public static func readSetting(_ reader: ConfigReader, _ key: ConfigKey) -> Wrapped?? {
        Wrapped.readSetting(reader, key).map(Optional.some)
    }
    public static var settingExpectation: String { Wrapped.settingExpectation }
    public static func fitsSetting(json value: Any) -> Bool { Wrapped.fitsSetting(json: value) }
    public var settingContent: ConfigContent? { self?.settingContent }
    public var settingText: String? { self?.settingText }
    public func splitSetting(at separator: Character) -> Wrapped? { self?.splitSetting(at: separator) }
    public var tidiedSetting: Wrapped? { self?.tidiedSetting }
    public var namesNothing: Bool { self?.namesNothing ?? false }
}
