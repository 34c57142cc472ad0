import Foundation
import SipasDomain

/// The answer of `GET /v1/index` (and `sipas report index --format json`).
struct IndexReport: Encodable, Sendable {
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

    private enum Keys: String, CodingKey {
        case survey, surveyVersion, unit, unitName, from, to, filters, groupBy, respondents, sipas, elements, items,
            expectations
        case groups, warnings, method, thresholds, excludedFlagged, surveyVersions, versionNote, unitVersion
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(request.survey, forKey: .survey)
        try container.encodeIfPresent(request.surveyVersion, forKey: .surveyVersion)
        try container.encode(request.unit, forKey: .unit)
        try container.encodeIfPresent(unitName, forKey: .unitName)
        try container.encode(request.from.description, forKey: .from)
        try container.encode(request.to.description, forKey: .to)
        var filters: [String: String] = [:]
        filters["procedure"] = request.procedure
        filters["channel"] = request.channel?.rawValue
        filters["desk"] = request.desk
        try container.encode(filters, forKey: .filters)
        try container.encodeIfPresent(request.groupBy?.rawValue, forKey: .groupBy)
        try container.encodeIfPresent(excludedFlagged, forKey: .excludedFlagged)
        try FiguresBody(figures: figures).encode(into: &container)
        try container.encode(groups.map(GroupBody.init), forKey: .groups)
        try container.encode(
            ["smallSample": policy.smallSampleThreshold, "privacyMinimum": policy.privacyMinimum], forKey: .thresholds)
        try container.encode(Self.method, forKey: .method)
        try container.encode(figures.surveyVersions, forKey: .surveyVersions)
        try container.encodeIfPresent(versionNote, forKey: .versionNote)
        try container.encodeIfPresent(unitVersion, forKey: .unitVersion)
    }

    /// The figures' fields, shared by the top level and each group.
    struct FiguresBody {
        let figures: IndexFigures

        func encode<K: CodingKey>(into container: inout KeyedEncodingContainer<K>) throws {
            func key(_ name: String) -> K { K(stringValue: name)! }
            // null for a group suppressed in a breakdown (IndexBreakdown): its respondents could be subtracted back.
            try container.encode(figures.publishedRespondents, forKey: key("respondents"))
            try container.encode(FigureBody(figures.overall), forKey: key("sipas"))
            try container.encode(figures.elements.map(ElementBody.init), forKey: key("elements"))
            try container.encode(figures.items.map(ItemBody.init), forKey: key("items"))
            try container.encode(figures.expectations.map(ExpectationBody.init), forKey: key("expectations"))
            try container.encode(figures.warnings.map(WarningBody.init), forKey: key("warnings"))
        }
    }

    struct GroupBody: Encodable {
        let group: Group
        init(_ group: Group) { self.group = group }

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(group.key, forKey: AnyKey(stringValue: "key")!)
            try container.encode(group.label, forKey: AnyKey(stringValue: "label")!)
            if let figures = group.figures { try FiguresBody(figures: figures).encode(into: &container) }
            if let figure = group.figure { try FigureBody(figure).encode(into: &container) }
        }
    }

    struct FigureBody: Encodable {
        let figure: IndexFigure
        init(_ figure: IndexFigure) { self.figure = figure }

        private enum Keys: String, CodingKey { case value, ci95, n, smallSample, withheld }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try encode(into: &container)
        }

        func encode<K: CodingKey>(into container: inout KeyedEncodingContainer<K>) throws {
            func key(_ name: String) -> K { K(stringValue: name)! }
            try container.encode(figure.exact.map(print), forKey: key("value"))
            try container.encode(figure.ci95.map { [round($0.lowerBound), round($0.upperBound)] }, forKey: key("ci95"))
            try container.encode(figure.publishedN, forKey: key("n"))
            try container.encode(figure.smallSample, forKey: key("smallSample"))
            try container.encode(figure.withheld, forKey: key("withheld"))
        }
    }

    struct ElementBody: Encodable {
        let element: ElementFigure
        init(_ element: ElementFigure) { self.element = element }
        private enum Keys: String, CodingKey { case id, title, meanScore }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: GroupBody.AnyKey.self)
            try container.encode(element.id, forKey: .init(stringValue: "id")!)
            try container.encode(element.title, forKey: .init(stringValue: "title")!)
            try FigureBody(element.figure).encode(into: &container)
            try container.encode(element.exactMeanScore.map(print), forKey: .init(stringValue: "meanScore")!)
        }
    }

    struct ItemBody: Encodable {
        let item: ItemFigure
        init(_ item: ItemFigure) { self.item = item }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: GroupBody.AnyKey.self)
            try container.encode(item.id, forKey: .init(stringValue: "id")!)
            try container.encode(item.element, forKey: .init(stringValue: "element")!)
            try container.encode(item.surveyVersion, forKey: .init(stringValue: "surveyVersion")!)
            try FigureBody(item.figure).encode(into: &container)
            try container.encode(item.satisfied, forKey: .init(stringValue: "satisfied")!)
            try container.encode(item.exactMeanScore.map(print), forKey: .init(stringValue: "meanScore")!)
        }
    }

    struct ExpectationBody: Encodable {
        let id: String
        let label: LocalizedText
        let count: Int?
        let share: Double?
        init(_ share: ExpectationShare) {
            id = share.id
            label = share.label
            count = share.count
            self.share = share.exactShare.map(print)
        }
    }

    struct WarningBody: Encodable {
        let code: String
        let figure: String
        /// null when the figure's n is not published.
        let n: Int?
        let message: String
        init(_ warning: FigureWarning) {
            code = warning.code.rawValue
            figure = warning.figure
            n = warning.n
            message = warning.message
        }

        private enum Keys: String, CodingKey { case code, figure, n, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(code, forKey: .code)
            try container.encode(figure, forKey: .figure)
            try container.encode(n, forKey: .n)
            try container.encode(message, forKey: .message)
        }
    }
}

/// A figure computed in floating point (an interval bound), with the one rounding rule.
private func round(_ value: Double) -> Double {
    Rounding.double(value, places: Rounding.percentPlaces)
}

/// An exact figure as every output prints it: two decimals, half away from zero (``Rounding``).
private func print(_ value: Decimal) -> Double {
    Rounding.double(value, places: Rounding.percentPlaces)
}
