import Foundation
import Hummingbird
import SipasDomain

extension TimelinessController {
    /// The answer of `GET /v1/timeliness`: a ``TimelinessReport`` as clients read it, the counts and rates of the
    /// unit's dossiers, whole and by group, with what each rate counts and what the due dates were counted on.
    struct Reply: ResponseCodable, Sendable {
        let unit: String
        let unitName: String?
        let from: String
        let to: String
        let asOf: String
        let groupBy: String?
        let channel: String?
        let counts: Counts
        let rates: Rates
        let groups: [Group]
        /// What each rate counts, since portals differ.
        let definitions: [String: String]
        let calendar: CalendarBasis
        /// The unit version reported, and its predecessors for the dates before it.
        let unitVersion: UnitVersionBody?

        init(_ report: TimelinessReport) {
            unit = report.query.unit
            unitName = report.unitName
            from = report.query.period.from.description
            to = report.query.period.to.description
            asOf = report.query.asOf.description
            groupBy = report.query.groupBy?.rawValue
            channel = report.query.channel?.rawValue
            counts = Counts(report.figures)
            rates = Rates(report.figures, policy: report.policy)
            groups = report.groups.map { group in
                Group(
                    key: group.key, label: group.label, counts: Counts(group.figures),
                    rates: Rates(group.figures, policy: report.policy))
            }
            definitions = TimelinessReport.definitions
            calendar = CalendarBasis(report.calendar)
            unitVersion = report.unitVersion
        }

        // MARK: - Parts

        /// One group of a breakdown (unit, procedure, channel, month).
        struct Group: Codable, Sendable {
            let key: String
            let label: String
            let counts: Counts
            let rates: Rates
        }

        /// The dossiers by how they stand.
        struct Counts: Codable, Sendable {
            let received, resolved, early, onTime, late, inProgressInTime, overdue, withdrawn: Int
            let lateWithoutApology, provisional: Int

            init(_ figures: TimelinessFigures) {
                received = figures.received
                resolved = figures.resolved
                early = figures.early
                onTime = figures.onTime
                late = figures.late
                inProgressInTime = figures.inProgressInTime
                overdue = figures.overdue
                withdrawn = figures.withdrawn
                lateWithoutApology = figures.lateWithoutApology
                provisional = figures.provisional
            }
        }

        /// The rates (``TimelinessReport/definitions`` says what each counts).
        struct Rates: Codable, Sendable {
            /// PAR's on-time rate, with the goal.
            let onTime: Rate
            /// QĐ 766's timeliness, with its points.
            let decision766: Rate
            let fullOnline, fullOnlineProcedures, onlinePayment, digitisation, lateWithoutApology: Rate

            init(_ figures: TimelinessFigures, policy: SamplePolicy) {
                var onTime = Rate(figures.onTimeRate, policy: policy)
                onTime.goal = TimelinessReport.onTimeGoal
                onTime.meetsGoal = figures.onTimeRate.exactPercent.map {
                    $0 >= Rounding.decimal(TimelinessReport.onTimeGoal)
                }
                self.onTime = onTime
                var decision766 = Rate(figures.decision766Timeliness, policy: policy)
                decision766.points = figures.decision766Points.map {
                    Rounding.double($0, places: Rounding.pointsPlaces)
                }
                decision766.maxPoints = 20
                self.decision766 = decision766
                fullOnline = Rate(figures.fullOnlineRate, policy: policy)
                fullOnlineProcedures = Rate(figures.fullOnlineProcedureShare, policy: policy)
                onlinePayment = Rate(figures.onlinePaymentRate, policy: policy)
                digitisation = Rate(figures.digitisationRate, policy: policy)
                lateWithoutApology = Rate(figures.lateWithoutApologyRate, policy: policy)
            }
        }

        /// A rate: `value` is null when nothing is counted; the extras appear only on the rates they belong to.
        struct Rate: Codable, Sendable {
            let numerator: Int
            let denominator: Int
            @ExplicitNull var value: Double?
            let smallSample: Bool
            var goal: Double?
            var meetsGoal: Bool?
            var points: Double?
            var maxPoints: Double?

            init(_ rate: SipasDomain.Rate, policy: SamplePolicy) {
                numerator = rate.numerator
                denominator = rate.denominator
                value = rate.exactPercent.map { Rounding.double($0, places: Rounding.percentPlaces) }
                smallSample = policy.isSmall(rate.denominator)
            }
        }

        /// What the due dates were counted on: the provisional days the counted dossiers cross and the rules with
        /// their sources (`Deploy/calendar/rules.json`), so an official can trace every due date.
        struct CalendarBasis: Codable, Sendable {
            let provisionalDays: [HolidayYear.Day]
            let yearsWithoutNotice: [Int]
            let rules: Rules

            init(_ basis: TimelinessReport.CalendarBasis) {
                provisionalDays = basis.provisionalDays
                yearsWithoutNotice = basis.yearsWithoutNotice
                rules = Rules(basis.rules)
            }

            /// Each rule as `value: source`; the time rules are left out when the calendar has none.
            struct Rules: Codable, Sendable {
                let nonWorkingDayReceipt: String
                let statutoryHolidays: String
                let sameDayCutoff: String?
                let officeHoursEnd: String?

                init(_ rules: CalendarRules) {
                    nonWorkingDayReceipt =
                        "\(rules.nonWorkingDayReceipt.rule.rawValue): \(rules.nonWorkingDayReceipt.source)"
                    statutoryHolidays = rules.statutoryHolidays.source
                    sameDayCutoff = rules.sameDayCutoff.map { "\($0.time): \($0.source)" }
                    officeHoursEnd = rules.officeHoursEnd.map { "\($0.time): \($0.source)" }
                }
            }
        }
    }
}
