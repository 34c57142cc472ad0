/// The level of an administrative unit (cấp hành chính).
public enum UnitLevel: String, Codable, Hashable, Sendable, CaseIterable {
    /// Tỉnh / thành phố trực thuộc trung ương: 2-digit GSO code.
    case province
    /// Huyện / quận / thị xã / thành phố thuộc tỉnh: 3-digit code; abolished from 1/7/2025.
    case district
    /// Xã / phường / thị trấn: 5-digit code; new communes reuse old codes.
    case commune

    /// Digits in this level's GSO code.
    public var codeLength: Int {
        switch self {
        case .province: 2
        case .district: 3
        case .commune: 5
        }
    }

    /// The levels a unit of this level may sit under.
    public var allowedParents: Set<UnitLevel> {
        switch self {
        case .province: []
        case .district: [.province]
        case .commune: [.district, .province]
        }
    }
}

/// A unit version another was formed from (đơn vị hành chính trước sắp xếp), wholly or in part.
public struct Predecessor: Hashable, Sendable, Codable {
    public var code: String
    /// The version, by its start date.
    public var validFrom: LocalDate
    /// Only part of it went to the successor (the rest to others): its figures are combined whole and marked
    /// partial, never split.
    public var part: Bool

    public init(code: String, validFrom: LocalDate, part: Bool) {
        self.code = code
        self.validFrom = validFrom
        self.part = part
    }

    /// `30169@2004-01-01`, the key of a unit version.
    public var key: String { "\(code)@\(validFrom)" }
}

/// One version of an administrative unit (đơn vị hành chính), valid over a range of dates.
///
/// A code alone is ambiguous across 1/7/2025 (codes are reused), so a unit is the pair (code, validFrom),
/// and everything dated is attached to the version in force on its date (DOMAIN.md §6).
public struct AdministrativeUnit: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    /// Code of the unit above; nil for a province.
    public var parent: String?
    public var validFrom: LocalDate
    /// Last day of validity; nil while still valid.
    public var validTo: LocalDate?
    /// The unit versions this one was formed from on `validFrom` (the 2025 reform: NQ 1663/NQ-UBTVQH15 for Đồng
    /// Tháp); its figures for periods before `validFrom` are theirs combined.
    public var formedFrom: [Predecessor]
    /// The text that formed it (resolution and article), when `formedFrom` is given.
    public var formedBy: String?

    public init(
        code: String, name: String, level: UnitLevel, parent: String?, validFrom: LocalDate, validTo: LocalDate?,
        formedFrom: [Predecessor] = [], formedBy: String? = nil
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
        self.formedFrom = formedFrom
        self.formedBy = formedBy
    }

    /// `30169@2025-07-01`, the key of this version.
    public var key: String { "\(code)@\(validFrom)" }

    /// Whether this version is in force on `date`.
    public func isInForce(on date: LocalDate) -> Bool {
        validFrom <= date && (validTo.map { date <= $0 } ?? true)
    }

    /// "2004-01-01..2025-06-30" or "2025-07-01..", for messages.
    public var validityDescription: String { "\(validFrom)..\(validTo.map(\.description) ?? "")" }
}
