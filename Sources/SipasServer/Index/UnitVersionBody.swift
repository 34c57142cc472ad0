import SipasDomain

/// Which unit version a report covers, and, for a period before that version existed, the predecessors whose figures
/// it combines: every report says so (DOMAIN.md §6).
struct UnitVersionBody: Codable, Sendable {
    struct PredecessorBody: Codable, Sendable {
        let code: String
        let validFrom: String
        let name: String
        /// Only part of it was taken over: combined whole, never split.
        let part: Bool
    }

    let code: String
    let validFrom: String
    let validTo: String?
    let name: String
    let formedBy: String?
    /// The part of the period before the version started, whose figures are the predecessors' combined.
    let precedingPeriod: [String: String]?
    let predecessors: [PredecessorBody]
    /// A predecessor was taken over only in part: the figures before the version started cover more than its territory.
    let partial: Bool
    /// What this means, in Vietnamese, for the reader.
    let note: String?
    /// Some unit counts in the period (false: the version ended before it, or began after it with no predecessors).
    let covered: Bool

    init?(_ scope: UnitScope) {
        guard let version = scope.version else { return nil }
        code = version.code
        validFrom = version.validFrom.description
        validTo = version.validTo?.description
        name = version.name
        formedBy = version.formedBy
        predecessors = scope.predecessors.map {
            PredecessorBody(
                code: $0.unit.code, validFrom: $0.unit.validFrom.description, name: $0.unit.name, part: $0.part)
        }
        partial = scope.predecessors.contains { $0.part }
        covered = !scope.segments.isEmpty
        if let period = scope.precedingPeriod, !predecessors.isEmpty {
            precedingPeriod = ["from": period.lowerBound.description, "to": period.upperBound.description]
            let names = scope.predecessors.map { $0.unit.name + ($0.part ? " (một phần)" : "") }.joined(separator: ", ")
            var text =
                "Từ \(IndexReport.vietnamese(period.lowerBound)) đến \(IndexReport.vietnamese(period.upperBound)), trước khi "
                + "\(version.name) được thành lập (\(IndexReport.vietnamese(version.validFrom))), số liệu là của các đơn vị trước sắp xếp "
                + "cộng lại: \(names)"
            if let formedBy = version.formedBy { text += " (\(formedBy))" }
            if partial {
                text += "; đơn vị nhận một phần được tính toàn bộ, nên số liệu giai đoạn này rộng hơn địa bàn hiện nay"
            }
            note = text + "."
        } else {
            precedingPeriod = nil
            note = nil
        }
    }

    /// Whether two reports cover the same territory: the same version, and no predecessor taken over in part.
    static func sameTerritory(_ first: UnitVersionBody?, _ second: UnitVersionBody?) -> Bool {
        guard let first, let second else { return false }
        return first.code == second.code && first.validFrom == second.validFrom && !first.partial && !second.partial
            && first.covered && second.covered
    }
}
