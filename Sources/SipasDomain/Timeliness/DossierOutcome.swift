import Foundation

/// A dossier's standing against its due date, in Vietnam's local time (DOMAIN.md §3).
public enum DossierOutcome: String, Hashable, Sendable, CaseIterable, Codable {
    /// Trước hạn: resolved before the due date.
    case early
    /// Đúng hạn: resolved on the due date.
    case onTime
    /// Quá hạn / trễ hạn: resolved after the due date.
    case late
    /// Đang xử lý trong hạn: not resolved, due date not passed.
    case inProgressInTime
    /// Quá hạn: not resolved, due date passed.
    case overdue
    /// Withdrawn by the applicant: counted in no rate.
    case withdrawn

    /// Classifies a dossier as of `asOf` (a local date): the resolution's local date against the due date,
    /// or, unresolved, `asOf` against it. A dossier resolved after `asOf` counts as unresolved on that date.
    public static func classify(_ dossier: Dossier, asOf: LocalDate) -> DossierOutcome {
        if dossier.status == .withdrawn { return .withdrawn }
        if dossier.status.isResolved, let resolvedAt = dossier.resolvedAt, LocalDate(resolvedAt) <= asOf {
            let day = LocalDate(resolvedAt)
            if day < dossier.dueDate { return .early }
            return day == dossier.dueDate ? .onTime : .late
        }
        return asOf <= dossier.dueDate ? .inProgressInTime : .overdue
    }

    public var isResolved: Bool { self == .early || self == .onTime || self == .late }
}
