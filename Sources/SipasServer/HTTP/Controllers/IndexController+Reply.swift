import Foundation
import Hummingbird
import SipasDomain

extension IndexController {
    /// The answer of `GET /v1/index` (and `sipas report index --format json`): an ``IndexReport`` as clients read it.
    /// Every figure is printed by the one rounding rule (``Rounding``), two decimals.
    struct Reply: ResponseCodable, Sendable {
        let survey: String
        let surveyVersion: Int?
        let unit: String
        let unitName: String?
        let from: String
        let to: String
        let filters: Filters
        let groupBy: String?
        /// With `excludeFlagged=true`: how many flagged responses were left out of the figures.
        let excludedFlagged: Int?
        @ExplicitNull var respondents: Int?
        let sipas: Figure
        let elements: [Element]
        let items: [Item]
        let expectations: [Expectation]
        let warnings: [Warning]
        let groups: [Group]
        let thresholds: Thresholds
        let method: String
        let surveyVersions: [Int]
        /// What the figures say about combining questionnaire versions, when they do.
        let versionNote: String?
        /// The unit version reported and its predecessors for the dates before it.
        let unitVersion: UnitVersionBody?

        init(_ report: IndexReport) {
            let request = report.request
            survey = request.survey
            surveyVersion = request.surveyVersion
            unit = request.unit
            unitName = report.unitName
            from = request.from.description
            to = request.to.description
            filters = Filters(procedure: request.procedure, channel: request.channel?.rawValue, desk: request.desk)
            groupBy = request.groupBy?.rawValue
            excludedFlagged = report.excludedFlagged
            let whole = Figures(report.figures)
            respondents = whole.respondents
            sipas = whole.sipas
            elements = whole.elements
            items = whole.items
            expectations = whole.expectations
            warnings = whole.warnings
            groups = report.groups.map(Group.init)
            thresholds = Thresholds(
                smallSample: report.policy.smallSampleThreshold, privacyMinimum: report.policy.privacyMinimum)
            method = IndexReport.method
            surveyVersions = report.figures.surveyVersions
            versionNote = report.versionNote
            unitVersion = report.unitVersion
        }

        // MARK: - Parts

        /// The filters given; those not given are left out.
        struct Filters: Codable, Sendable {
            let procedure: String?
            let channel: String?
            let desk: String?
        }

        /// The sample policy the figures were published under.
        struct Thresholds: Codable, Sendable {
            let smallSample: Int
            let privacyMinimum: Int
        }

        /// One figure: a percentage with its 95 % interval and n, or null with the reason it is withheld.
        struct Figure: Codable, Sendable {
            @ExplicitNull var value: Double?
            @ExplicitNull var ci95: [Double]?
            /// null for a figure suppressed in a breakdown (IndexBreakdown): its n could be subtracted back.
            @ExplicitNull var n: Int?
            let smallSample: Bool
            @ExplicitNull var withheld: String?

            init(_ figure: IndexFigure) {
                value = figure.exact.map(printed)
                ci95 = figure.ci95.map { [printed($0.lowerBound), printed($0.upperBound)] }
                n = figure.publishedN
                smallSample = figure.smallSample
                withheld = figure.withheld
            }
        }

        /// An element (yếu tố): its figure's fields beside its id and title.
        struct Element: Codable, Sendable {
            let id: String
            let title: LocalizedText
            @ExplicitNull var value: Double?
            @ExplicitNull var ci95: [Double]?
            @ExplicitNull var n: Int?
            let smallSample: Bool
            @ExplicitNull var withheld: String?
            @ExplicitNull var meanScore: Double?

            init(_ element: ElementFigure) {
                let figure = Figure(element.figure)
                id = element.id
                title = element.title
                value = figure.value
                ci95 = figure.ci95
                n = figure.n
                smallSample = figure.smallSample
                withheld = figure.withheld
                meanScore = element.exactMeanScore.map(printed)
            }
        }

        /// An item (tiêu chí) of one questionnaire version: its figure's fields beside its id.
        struct Item: Codable, Sendable {
            let id: String
            let element: String
            let surveyVersion: Int
            @ExplicitNull var value: Double?
            @ExplicitNull var ci95: [Double]?
            @ExplicitNull var n: Int?
            let smallSample: Bool
            @ExplicitNull var withheld: String?
            @ExplicitNull var satisfied: Int?
            @ExplicitNull var meanScore: Double?

            init(_ item: ItemFigure) {
                let figure = Figure(item.figure)
                id = item.id
                element = item.element
                surveyVersion = item.surveyVersion
                value = figure.value
                ci95 = figure.ci95
                n = figure.n
                smallSample = figure.smallSample
                withheld = figure.withheld
                satisfied = item.satisfied
                meanScore = item.exactMeanScore.map(printed)
            }
        }

        /// The share of respondents who chose one expectation option; count and share are left out when withheld.
        struct Expectation: Codable, Sendable {
            let id: String
            let label: LocalizedText
            let count: Int?
            let share: Double?

            init(_ share: ExpectationShare) {
                id = share.id
                label = share.label
                count = share.count
                self.share = share.exactShare.map(printed)
            }
        }

        /// A small-sample or withholding notice.
        struct Warning: Codable, Sendable {
            let code: String
            let figure: String
            /// null when the figure's n is not published.
            @ExplicitNull var n: Int?
            let message: String

            init(_ warning: FigureWarning) {
                code = warning.code.rawValue
                figure = warning.figure
                n = warning.n
                message = warning.message
            }
        }

        /// Every figure of one scope, as a group of a breakdown by unit, period, procedure, channel or outcome lists
        /// them (the report's own are the same fields at its top level).
        struct Figures: Codable, Sendable {
            /// null for a group suppressed in a breakdown (IndexBreakdown): its respondents could be subtracted back.
            @ExplicitNull var respondents: Int?
            let sipas: Figure
            let elements: [Element]
            let items: [Item]
            let expectations: [Expectation]
            let warnings: [Warning]

            init(_ figures: IndexFigures) {
                respondents = figures.publishedRespondents
                sipas = Figure(figures.overall)
                elements = figures.elements.map(Element.init)
                items = figures.items.map(Item.init)
                expectations = figures.expectations.map(Expectation.init)
                warnings = figures.warnings.map(Warning.init)
            }
        }

        /// One row of a breakdown: its key and label, and beside them either a whole set of figures (unit, period,
        /// procedure, channel, outcome) or one figure (element, item).
        struct Group: Codable, Sendable {
            let key: String
            let label: String
            let figures: Figures?
            let figure: Figure?

            init(_ group: IndexReport.Group) {
                key = group.key
                label = group.label
                figures = group.figures.map(Figures.init)
                figure = group.figure.map(Figure.init)
            }

            // The figures' fields sit beside key and label, not under a key of their own: written by hand, and read
            // back by the field only each kind has.
            private enum CodingKeys: String, CodingKey { case key, label, sipas, value }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                key = try container.decode(String.self, forKey: .key)
                label = try container.decode(String.self, forKey: .label)
                figures = container.contains(.sipas) ? try Figures(from: decoder) : nil
                figure = container.contains(.value) ? try Figure(from: decoder) : nil
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(key, forKey: .key)
                try container.encode(label, forKey: .label)
                try figures?.encode(to: encoder)
                try figure?.encode(to: encoder)
            }
        }
    }
}

/// A report is written as JSON only as the API answers it, so `sipas report index --format json` (which encodes the
/// report) and `GET /v1/index` cannot differ.
extension IndexReport: Encodable {
    func encode(to encoder: any Encoder) throws {
        try IndexController.Reply(self).encode(to: encoder)
    }
}

/// A figure as every output prints it: two decimals, half away from zero (``Rounding``).
private func printed(_ value: Decimal) -> Double {
    Rounding.double(value, places: Rounding.percentPlaces)
}

/// A figure computed in floating point (an interval bound), by the same rule.
private func printed(_ value: Double) -> Double {
    Rounding.double(value, places: Rounding.percentPlaces)
}
