import SipasDomain

/// The answer of `GET /v1/timeliness`.
struct TimelinessReport: Encodable, Sendable {
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
    struct CalendarBasis: Encodable, Sendable {
        let provisionalDays: [HolidayYear.Day]
        let yearsWithoutNotice: [Int]
        let rules: CalendarRules

        private enum Keys: String, CodingKey { case provisionalDays, yearsWithoutNotice, rules }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(provisionalDays, forKey: .provisionalDays)
            try container.encode(yearsWithoutNotice, forKey: .yearsWithoutNotice)
            var rules: [String: String] = [
                "nonWorkingDayReceipt":
                    "\(self.rules.nonWorkingDayReceipt.rule.rawValue): \(self.rules.nonWorkingDayReceipt.source)",
                "statutoryHolidays": self.rules.statutoryHolidays.source,
            ]
            if let cutoff = self.rules.sameDayCutoff { rules["sameDayCutoff"] = "\(cutoff.time): \(cutoff.source)" }
            if let end = self.rules.officeHoursEnd { rules["officeHoursEnd"] = "\(end.time): \(end.source)" }
            try container.encode(rules, forKey: .rules)
        }
    }

    /// The seed's goal for the PAR on-time rate.
    static let onTimeGoal = 95.0

    struct RateBody: Encodable {
        let numerator: Int
        let denominator: Int
        let value: Double?
        let smallSample: Bool
        var goal: Double?
        var meetsGoal: Bool?
        var points: Double?
        var maxPoints: Double?

        init(_ rate: Rate, policy: SamplePolicy) {
            numerator = rate.numerator
            denominator = rate.denominator
            value = rate.exactPercent.map { Rounding.double($0, places: Rounding.percentPlaces) }
            smallSample = policy.isSmall(rate.denominator)
        }

        private enum Keys: String, CodingKey {
            case numerator, denominator, value, smallSample, goal, meetsGoal, points, maxPoints
        }

        /// `value` is null when nothing is counted; the extras appear only on the rates they belong to.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(numerator, forKey: .numerator)
            try container.encode(denominator, forKey: .denominator)
            try container.encode(value, forKey: .value)
            try container.encode(smallSample, forKey: .smallSample)
            try container.encodeIfPresent(goal, forKey: .goal)
            try container.encodeIfPresent(meetsGoal, forKey: .meetsGoal)
            try container.encodeIfPresent(points, forKey: .points)
            try container.encodeIfPresent(maxPoints, forKey: .maxPoints)
        }
    }

    struct Body: Encodable {
        let counts: [String: Int]
        let rates: [String: RateBody]
    }

    static func body(_ figures: TimelinessFigures, policy: SamplePolicy) -> Body {
        var onTime = RateBody(figures.onTimeRate, policy: policy)
        onTime.goal = onTimeGoal
        onTime.meetsGoal = figures.onTimeRate.exactPercent.map { $0 >= Rounding.decimal(onTimeGoal) }
        var decision766 = RateBody(figures.decision766Timeliness, policy: policy)
        decision766.points = figures.decision766Points.map { Rounding.double($0, places: Rounding.pointsPlaces) }
        decision766.maxPoints = 20
        return Body(
            counts: [
                "received": figures.received, "resolved": figures.resolved, "early": figures.early,
                "onTime": figures.onTime,
                "late": figures.late, "inProgressInTime": figures.inProgressInTime, "overdue": figures.overdue,
                "withdrawn": figures.withdrawn, "lateWithoutApology": figures.lateWithoutApology,
                "provisional": figures.provisional,
            ],
            rates: [
                "onTime": onTime, "decision766": decision766,
                "fullOnline": RateBody(figures.fullOnlineRate, policy: policy),
                "fullOnlineProcedures": RateBody(figures.fullOnlineProcedureShare, policy: policy),
                "onlinePayment": RateBody(figures.onlinePaymentRate, policy: policy),
                "digitisation": RateBody(figures.digitisationRate, policy: policy),
                "lateWithoutApology": RateBody(figures.lateWithoutApologyRate, policy: policy),
            ])
    }

    struct GroupBody: Encodable {
        let key: String
        let label: String
        let counts: [String: Int]
        let rates: [String: RateBody]
    }

    private enum Keys: String, CodingKey {
        case unit, unitName, from, to, asOf, groupBy, channel, counts, rates, groups, definitions, calendar, unitVersion
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(query.unit, forKey: .unit)
        try container.encodeIfPresent(unitName, forKey: .unitName)
        try container.encode(query.period.from.description, forKey: .from)
        try container.encode(query.period.to.description, forKey: .to)
        try container.encode(query.asOf.description, forKey: .asOf)
        try container.encodeIfPresent(query.groupBy?.rawValue, forKey: .groupBy)
        try container.encodeIfPresent(query.channel?.rawValue, forKey: .channel)
        let whole = Self.body(figures, policy: policy)
        try container.encode(whole.counts, forKey: .counts)
        try container.encode(whole.rates, forKey: .rates)
        try container.encode(
            groups.map { group in
                let body = Self.body(group.figures, policy: policy)
                return GroupBody(key: group.key, label: group.label, counts: body.counts, rates: body.rates)
            }, forKey: .groups)
        try container.encode(Self.definitions, forKey: .definitions)
        try container.encode(calendar, forKey: .calendar)
        try container.encodeIfPresent(unitVersion, forKey: .unitVersion)
    }

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
