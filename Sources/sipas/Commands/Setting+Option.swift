import ArgumentParser
import SipasServer

extension Setting {
    /// The option's name, as the setting declares it.
    var name: NameSpecification { .customLong(flag ?? key) }

    /// The option's help, from the setting's: with `sources`, for a command that also reads the environment and the
    /// settings file, its default and variable are told too (an option of such a command has no default of its own, so
    /// that a variable or the file can give the setting).
    func help(_ note: String? = nil, sources: Bool = false) -> ArgumentHelp {
        var text = [help, note].compactMap { $0 }.joined(separator: " ")
        if sources {
            text += defaultText.map { " Default: \($0)." } ?? ""
            text += " Also \(environmentName)."
        }
        return ArgumentHelp(text)
    }
}
