import Foundation

/// How a dossier reached the one-stop desk (trực tiếp, trực tuyến, bưu chính công ích).
public enum DossierChannel: String, Codable, Hashable, Sendable, CaseIterable {
    case direct, online, postal
}

/// Where a dossier is in its life; it only moves forward.
public enum DossierStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Tiếp nhận.
    case received
    /// Đang xử lý.
    case inProgress = "in-progress"
    /// Đã giải quyết.
    case resolved
    /// Đã trả kết quả: resolved and handed back to the citizen.
    case returned
    /// Rút hồ sơ: withdrawn by the applicant before resolution.
    case withdrawn

    /// Resolved or returned: the dossier has a resolution time and counts as resolved.
    public var isResolved: Bool { self == .resolved || self == .returned }

    /// Order along the life of a dossier; withdrawn ends it from any unresolved state.
    var rank: Int {
        switch self {
        case .received: 0
        case .inProgress: 1
        case .resolved: 2
        case .returned: 3
        case .withdrawn: 4
        }
    }
}

/// Where a dossier's due date (ngày hẹn trả) comes from.
public enum DueDateBasis: String, Codable, Hashable, Sendable, CaseIterable {
    /// Given by the source (the date on the receipt); it never changes.
    case given
    /// Counted by sipas from the procedure's legal time on the working calendar; it follows the calendar's rules.
    case computed
    /// Counted across a provisional calendar day (a year without a notice file, or a day no primary text supports
    /// yet): recomputed when the calendar is settled, and every figure counted on it says so.
    case provisional
}

/// A procedure dossier (hồ sơ TTHC), as stored (DOMAIN.md §3).
public struct Dossier: Hashable, Sendable {
    public var code: String
    public var procedure: String
    /// The receiving unit.
    public var unit: String
    /// The competent unit when different (possible since NĐ 118/2025).
    public var resolvingUnit: String?
    public var channel: DossierChannel
    public var receivedAt: Date
    /// Ngày hẹn trả, given by the source or computed from the legal time.
    public var dueDate: LocalDate
    /// Where the due date comes from: the source, or sipas's count of working days.
    public var dueDateBasis: DueDateBasis
    public var resolvedAt: Date?
    public var status: DossierStatus
    /// Toàn trình: handled online from start to end.
    public var fullOnline: Bool
    public var paidOnline: Bool
    public var feeBearing: Bool
    /// Số hóa: the dossier's documents were digitised.
    public var digitised: Bool
    /// A "Phiếu xin lỗi và hẹn lại ngày trả kết quả" was issued.
    public var apologyIssued: Bool

    public init(
        code: String, procedure: String, unit: String, resolvingUnit: String? = nil, channel: DossierChannel,
        receivedAt: Date,
        dueDate: LocalDate, dueDateBasis: DueDateBasis = .given, resolvedAt: Date? = nil, status: DossierStatus,
        fullOnline: Bool = false, paidOnline: Bool = false,
        feeBearing: Bool = false, digitised: Bool = false, apologyIssued: Bool = false
    ) {
        self.code = code
        self.procedure = procedure
        self.unit = unit
        self.resolvingUnit = resolvingUnit
        self.channel = channel
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.dueDateBasis = dueDateBasis
        self.resolvedAt = resolvedAt
        self.status = status
        self.fullOnline = fullOnline
        self.paidOnline = paidOnline
        self.feeBearing = feeBearing
        self.digitised = digitised
        self.apologyIssued = apologyIssued
    }

    /// Whether the due date rests on a provisional calendar day.
    public var dueDateProvisional: Bool { dueDateBasis == .provisional }

    /// The local date of receipt.
    public var receivedDate: LocalDate { LocalDate(receivedAt) }
}
