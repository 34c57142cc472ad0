import SipasDomain

/// A validated index query, from the API's parameters or the command line.
struct IndexRequest: Sendable {
    var survey = "sipas"
    var unit: String
    var period: Period
    var surveyVersion: Int?
    var procedure: String?
    var channel: ResponseChannel?
    var desk: String?
    var groupBy: Breakdown?
    /// Leave out the responses flagged by the stuffing signals (`excludeFlagged=true`), to show their effect.
    var excludeFlagged = false

    /// What narrows the responses counted, shared by the index, the comparison and the export.
    static let filterNames = ["survey", "surveyVersion", "procedure", "channel", "desk"]
    /// The parameters of `GET /v1/index` and `/v1/index.csv`.
    static let parameterNames = ["unit", "from", "to", "year"] + filterNames + ["groupBy", "excludeFlagged"]

    /// Reads the query parameters of `endpoint`, which takes `accepted`; a bad or unknown one is a 422 naming it.
    init(
        parameters: QueryParameters, now: LocalDate, accepted: [String] = IndexRequest.parameterNames,
        endpoint: String = "/v1/index"
    ) throws {
        var reader = ParameterReader(parameters, accepted: accepted, endpoint: endpoint)
        self.init(reading: &reader, now: now)
        try reader.check()
    }

    /// Reads the unit, the filters, `groupBy` and `excludeFlagged` (those `reader` accepts) and the period whose
    /// names end in `periodSuffix`; the caller checks `reader` once it has read everything else.
    init(reading reader: inout ParameterReader, now: LocalDate, periodSuffix: String = "") {
        unit = reader["unit"] ?? ""
        if unit.isEmpty { reader.report("unit", "is required (the code of the unit, e.g. 875)") }
        period = reader.period(today: now, suffix: periodSuffix)
        survey = reader["survey"] ?? "sipas"
        surveyVersion = reader.int("surveyVersion", in: 1...Int(Int32.max))
        // The same text rule as where procedures and desks enter, so a filter names them as they were stored.
        for (name, value) in [("procedure", \IndexRequest.procedure), ("desk", \IndexRequest.desk)] {
            switch InputText.optional(reader[name], field: name) {
            case .success(let text): self[keyPath: value] = text
            case .failure(let problem): reader.report(problem.field, problem.message)
            }
        }
        channel = reader.word("channel", ResponseChannel.self)
        groupBy = reader.word("groupBy", Breakdown.self)
        excludeFlagged = reader.bool("excludeFlagged")
    }

    init(unit: String, period: Period) {
        self.unit = unit
        self.period = period
    }

    /// The period's first day.
    var from: LocalDate { period.from }
    /// The period's last day.
    var to: LocalDate { period.to }
}
