import Foundation
import SipasDomain

/// The figures of a unit and period, as the index service computes them: the API's answer
/// (``IndexController/Reply``), the command line's table and CSV, and the dashboard read them.
struct IndexReport: Sendable {
    /// One row of a breakdown: a whole set of figures (unit, period, procedure, channel) or one figure
    /// (element, item).
    struct Group: Sendable {
        let key: String
        let label: String
        let figures: IndexFigures?
        let figure: IndexFigure?
    }

    let request: IndexRequest
    let unitName: String?
    /// The version asked for, or the current one: the report's title and labels.
    let definition: SurveyDefinition
    /// Every version the figures may count, for the wording of each version's items.
    var definitions: [SurveyDefinition] = []
    let figures: IndexFigures
    let groups: [Group]
    let policy: SamplePolicy
    /// With `excludeFlagged=true`: how many flagged responses were left out of the figures (nil otherwise).
    var excludedFlagged: Int? = nil
    /// The unit version reported and its predecessors for the dates before it.
    var unitVersion: UnitVersionBody? = nil

    static let method =
        "item: 100 × satisfied / valid answers with a Wilson 95 % interval; element: mean of item indices; "
        + "overall: mean of element indices; their intervals by linearisation over respondents (Wilson with the effective sample size)"

    /// The wording of an item, from the version it belongs to.
    func item(_ id: String) -> SurveyItem? {
        definition.item(id) ?? definitions.lazy.compactMap { $0.item(id) }.first
    }

    /// What the figures say about combining versions, when they do.
    var versionNote: String? {
        guard figures.surveyVersions.count > 1 else { return nil }
        let list = figures.surveyVersions.map(String.init).joined(separator: ", ")
        return
            "the period holds responses to questionnaire versions \(list): elements and the overall index combine them, "
            + "each element index weighted by its respondents in each version (mean scores pool every answer); item figures are per "
            + "version (surveyVersion on each item)"
    }

    /// The same, in Vietnamese, for the pages, the text report and CSV.
    var versionNoteVietnamese: String? {
        guard figures.surveyVersions.count > 1 else { return nil }
        return
            "Kỳ báo cáo có phiếu của các phiên bản \(figures.surveyVersions.map(String.init).joined(separator: ", ")): các yếu tố và chỉ "
            + "số chung gộp các phiên bản theo số người trả lời (điểm trung bình gộp mọi câu trả lời); tiêu chí tính riêng theo từng phiên bản."
    }

    /// The notes a reader of the figures needs: which unit version and predecessors, which questionnaire versions,
    /// and what the index is (not the published SIPAS).
    var notes: [String] {
        var notes: [String] = []
        if let note = unitVersion?.note { notes.append(note) }
        if let note = versionNoteVietnamese { notes.append(note) }
        if definition.id == "sipas" { notes.append(IndexName.relation.vi) }
        return notes
    }

    /// Whether a figure of the report is suppressed as a complement (the outputs then explain the mark).
    var hasComplementarySuppression: Bool {
        ([figures] + groups.compactMap(\.figures)).contains { set in
            let all = [set.overall] + set.elements.map(\.figure) + set.items.map(\.figure)
            return all.contains { $0.suppression == .complementary }
        }
    }
}
