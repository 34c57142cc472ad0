import ArgumentParser
import Foundation
import SipasServer

/// An option group that gives settings: it hands what was typed, or its default, to the options the settings are read
/// from, so that the command's parts come from ``Assembly`` as the server's do.
protocol SettingOptions: ParsableArguments {
    /// Adds this group's settings to `flags`.
    func give(to flags: inout SettingFlags)
}

extension Assembly {
    /// The assembly of a command that reads only its options (every command without `--config`: the file and the
    /// `SIPAS_` variables are the server's, and such a command has always worked on its own options alone).
    static func options(_ groups: any SettingOptions...) throws -> Assembly {
        var flags = SettingFlags()
        for group in groups { group.give(to: &flags) }
        return try reportingOperatorErrors {
            let configuration = try AppConfiguration(settings: SettingsReader(flags: flags))
            try configuration.requireAvailableDatabase()
            return Assembly(configuration)
        }
    }

    /// The assembly of a command that reads the settings as `sipas serve` does: `flags`, then the `SIPAS_` variables,
    /// then the file that `--config` or `SIPAS_CONFIG` names.
    static func settings(_ flags: SettingFlags) throws -> Assembly {
        try reportingOperatorErrors {
            let reader = try SettingsReader(flags: flags, environment: ProcessInfo.processInfo.environment)
            let configuration = try AppConfiguration(settings: reader)
            try configuration.requireAvailableDatabase()
            return Assembly(configuration)
        }
    }
}
