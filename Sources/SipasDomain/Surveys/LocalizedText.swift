/// A text given in Vietnamese (the default language of every page and export) and in English.
public struct LocalizedText: Codable, Hashable, Sendable {
    /// Vietnamese wording, as citizens read it.
    public var vi: String
    /// English translation, for the language switch and for reviewers.
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    /// The text in the given language code (`vi` or `en`); Vietnamese for anything else.
    public func text(in language: String) -> String {
        language == "en" ? en : vi
    }
}
