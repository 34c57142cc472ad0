import SipasDomain

extension StuffingThresholds {
    /// Applies the `stuffing.*` settings `settings` gives, then checks them with the rules that own them
    /// (``StuffingRules``): a refusal names where the value came from.
    mutating func apply(_ settings: SettingsReader) throws {
        if let v = try settings.value(Settings.burstWindowSeconds) { burstWindowSeconds = v }
        if let v = try settings.value(Settings.burstMaximum) { burstMaximum = v }
        if let v = try settings.value(Settings.identicalRun) { identicalRun = v }
        if let v = try settings.value(Settings.officeHours) { officeHours = v }
        if let v = try settings.value(Settings.officeDays) { officeDays = v }
        do {
            _ = try StuffingRules(self)
        } catch let problem as StuffingSettingProblem {
            throw settings.refusal("stuffing.\(problem.setting)", problem.message)
        }
    }
}
