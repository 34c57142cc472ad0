/// All versions of all administrative units, answering which version is in force on a date and
/// whether one unit lies under another.
public struct UnitDirectory: Sendable {
    private let versionsByCode: [String: [AdministrativeUnit]]

    public init(_ units: [AdministrativeUnit]) {
        versionsByCode = Dictionary(grouping: units, by: \.code).mapValues { $0.sorted { $0.validFrom < $1.validFrom } }
    }

    /// Every version, ordered by code then date.
    public var all: [AdministrativeUnit] {
        versionsByCode.keys.sorted().flatMap { versionsByCode[$0]! }
    }

    /// Whether any version of the code exists.
    public func contains(code: String) -> Bool { versionsByCode[code] != nil }

    /// The version of `code` in force on `date`.
    public func unit(_ code: String, on date: LocalDate) -> AdministrativeUnit? {
        versionsByCode[code]?.first { $0.isInForce(on: date) }
    }

    /// The name of `code`: the version in force on `date`, else its latest version (a unit that ended).
    public func name(of code: String, on date: LocalDate) -> String? {
        (unit(code, on: date) ?? versionsByCode[code]?.last)?.name
    }

    /// Whether `code` is `ancestor` itself or lies under it on `date`, following the parents in force that day.
    public func isWithin(_ code: String, ancestor: String, on date: LocalDate) -> Bool {
        var current = unit(code, on: date)
        var steps = 0
        while let unit = current, steps < 8 {
            if unit.code == ancestor { return true }
            guard let parent = unit.parent else { return false }
            current = self.unit(parent, on: date)
            steps += 1
        }
        return false
    }

    /// The version of `code` that starts on `validFrom`.
    public func version(_ code: String, from validFrom: LocalDate) -> AdministrativeUnit? {
        versionsByCode[code]?.first { $0.validFrom == validFrom }
    }

    /// Every version of `code`, oldest first.
    public func versions(of code: String) -> [AdministrativeUnit] { versionsByCode[code] ?? [] }

    /// The version a reference names: `CODE@YYYY-MM-DD` names it exactly; a bare code means `preferred` when it is a
    /// version of that code (the version a token was issued for), else the version in force on `date`, else the
    /// first version starting after it, else the last one before it.
    ///
    /// - Returns: nil when the reference names no known version.
    public func resolve(_ reference: UnitReference, on date: LocalDate, preferring preferred: AdministrativeUnit? = nil)
        -> AdministrativeUnit?
    {
        let versions = self.versions(of: reference.code)
        if let validFrom = reference.validFrom { return versions.first { $0.validFrom == validFrom } }
        if let preferred, preferred.code == reference.code, versions.contains(preferred) { return preferred }
        return versions.first { $0.isInForce(on: date) } ?? versions.first { $0.validFrom > date } ?? versions.last
    }

    /// The units directly under `code` on `date`, by code.
    public func children(of code: String, on date: LocalDate) -> [AdministrativeUnit] {
        versionsByCode.values.compactMap { versions in versions.first { $0.isInForce(on: date) && $0.parent == code } }
            .sorted { $0.code < $1.code }
    }
}
