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

    /// The units directly under `code` on `date`, by code.
    public func children(of code: String, on date: LocalDate) -> [AdministrativeUnit] {
        versionsByCode.values.compactMap { versions in versions.first { $0.isInForce(on: date) && $0.parent == code } }
            .sorted { $0.code < $1.code }
    }
}
