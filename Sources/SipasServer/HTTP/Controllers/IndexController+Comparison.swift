import Foundation
import Hummingbird
import SipasDomain

extension IndexController {
    /// The answer of `GET /v1/index/compare`: both periods' figures, whether they cover the same territory, and each
    /// figure's change with its 95 % interval and significance.
    struct Comparison: ResponseCodable, Sendable {
        let survey: String
        let unit: String
        let sameTerritory: Bool
        /// Said only when the two periods do not cover the same territory.
        let territoryNote: String?
        let first: Reply
        let second: Reply
        let changes: Changes

        static let territoryNote =
            "the two periods do not cover the same territory: a predecessor taken over only in part is counted whole, "
            + "the unit versions differ, or the unit is not in force in one of the periods"

        init(first: IndexReport, second: IndexReport) {
            survey = first.request.survey
            unit = first.request.unit
            sameTerritory = UnitVersionBody.sameTerritory(first.unitVersion, second.unitVersion)
            territoryNote = sameTerritory ? nil : Self.territoryNote
            self.first = Reply(first)
            self.second = Reply(second)
            let interval = "difference of indices with a 95 % interval ±1.96·√(SE₁²+SE₂²)"
            let proportions = "two-proportion z-test (pooled), 95 %"
            changes = Changes(
                sipas: Change(
                    IndexComparison.overall(first.figures, second.figures, id: first.request.survey), test: interval),
                elements: IndexComparison.elements(first.figures, second.figures).map { Change($0, test: interval) },
                items: IndexComparison.items(first.figures, second.figures).map { Change($0, test: proportions) })
        }

        /// The change of one figure; a field is left out when either period has no figure.
        struct Change: Codable, Sendable {
            let id: String
            let first: Double?
            let second: Double?
            let difference: Double?
            let ci95: [Double]?
            let pValue: Double?
            let significant: Bool?
            /// The test the significance comes from.
            let test: String

            init(_ change: FigureChange, test: String) {
                func round(_ value: Double) -> Double { Rounding.double(value, places: Rounding.percentPlaces) }
                func print(_ value: Decimal) -> Double { Rounding.double(value, places: Rounding.percentPlaces) }
                id = change.id
                first = change.firstExact.map(print)
                second = change.secondExact.map(print)
                difference = change.exactDifference.map(print)
                ci95 = change.ci95.map { [round($0.lowerBound), round($0.upperBound)] }
                pValue = change.pValue.map { Rounding.double($0, places: 6) }
                significant = change.significant
                self.test = test
            }
        }

        /// The changes of the overall index, of each element and of each item.
        struct Changes: Codable, Sendable {
            let sipas: Change
            let elements: [Change]
            let items: [Change]
        }
    }
}
