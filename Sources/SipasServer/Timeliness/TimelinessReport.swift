import SipasDomain

/// The CCHC figures of a unit's dossiers over a period, whole and by group, as the timeliness service computes
/// them: the API's answer (``TimelinessController/Reply``), the dashboard and the scorecard read them.
struct TimelinessReport: Sendable {
    let query: TimelinessService.Query
    let unitName: String?
    let figures: TimelinessFigures
    let groups: [(key: String, label: String, figures: TimelinessFigures)]
    let policy: SamplePolicy
    let calendar: CalendarBasis
    /// The unit version reported, and its predecessors for the dates before it.
    var unitVersion: UnitVersionBody? = nil

    /// What the due dates were counted on: the provisional days the counted dossiers cross and the rules with
    /// their sources (`Deploy/calendar/rules.json`), so an official can trace every due date.
    struct CalendarBasis: Sendable {
        let provisionalDays: [HolidayYear.Day]
        let yearsWithoutNotice: [Int]
        let rules: CalendarRules
    }

    /// The seed's goal for the PAR on-time rate.
    static let onTimeGoal = 95.0

    /// What each rate counts, since portals differ.
    static let definitions: [String: String] = [
        "onTime": "PAR: (early + onTime) / resolved, dossiers received in the period; goal 95 %",
        "decision766": "QĐ 766: (early + onTime + inProgressInTime) / received; points = 20 × rate",
        "fullOnline": "full-online dossiers / dossiers of procedures eligible for full-online service",
        "fullOnlineProcedures":
            "eligible procedures with at least one full-online dossier / eligible procedures with dossiers",
        "onlinePayment": "dossiers paid online / dossiers with fees",
        "digitisation": "digitised dossiers / received",
        "lateWithoutApology": "late or overdue dossiers without an apology slip / late or overdue dossiers",
        "withdrawn": "withdrawn dossiers are counted in no rate",
        "provisional":
            "dossiers whose due date was counted across a provisional calendar day (calendar.provisionalDays, calendar.yearsWithoutNotice): their early/on-time/late class may change when the year's notice is added",
        "dueDate":
            "the source's ngày hẹn trả, or received + the procedure's legal working days under calendar.rules (Deploy/calendar/rules.json) on the notice files of Deploy/calendar/",
    ]
}
