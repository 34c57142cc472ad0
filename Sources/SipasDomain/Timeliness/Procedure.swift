/// A procedure of the national procedure database (thủ tục hành chính), as the catalogue file declares it.
public struct Procedure: Hashable, Sendable, Codable {
    /// The national database code, e.g. `1.001193`.
    public var code: String
    public var name: String
    /// Lĩnh vực.
    public var field: String
    /// The level that resolves it: `district` or `commune`.
    public var level: UnitLevel
    /// Legal processing time in working days (0: within the day).
    public var legalDays: Int
    /// Offered as a full-online public service (dịch vụ công trực tuyến toàn trình).
    public var fullOnlineEligible: Bool
    /// A fee or charge applies.
    public var feeBearing: Bool

    public init(
        code: String, name: String, field: String, level: UnitLevel, legalDays: Int, fullOnlineEligible: Bool,
        feeBearing: Bool
    ) {
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.legalDays = legalDays
        self.fullOnlineEligible = fullOnlineEligible
        self.feeBearing = feeBearing
    }
}
