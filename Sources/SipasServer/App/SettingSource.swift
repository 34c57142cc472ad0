/// Where a setting's value came from, named as a refusal names it.
enum SettingSource: Sendable, Equatable {
    /// A command-line option: `--port`.
    case option
    /// A `SIPAS_` variable: `SIPAS_PORT`.
    case environment
    /// The JSON settings file at this path: `/etc/sipas/sipas.json: port`.
    case file(String)

    /// How a refusal names `setting` given here.
    func name(of setting: any SettingDeclaration) -> String {
        switch self {
        case .option: "--\(setting.flag ?? setting.key)"
        case .environment: Settings.environmentName(setting.key)
        case .file(let path): "\(path): \(setting.key)"
        }
    }
}
