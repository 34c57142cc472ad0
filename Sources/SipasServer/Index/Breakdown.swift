import SipasDomain

/// One way `/v1/index` breaks its figures down (`groupBy=…`; cách phân tổ): what it sums the aggregates by and how
/// it makes its groups, keys and labels from them. Each breakdown is one file in `Breakdowns/`, listed in ``all``;
/// the storage knows only its ``grouping``.
struct Breakdown: Sendable {
    /// The `groupBy` word.
    let name: String
    /// What the aggregates are summed by (`.none`: the breakdown is made from the whole scope's figures).
    let grouping: TallyGrouping
    /// Whether the groups share out the scope's respondents (units, months…), so a withheld group must not be
    /// derivable from the total and the others; elements and items are views of the same people instead.
    let sharesRespondents: Bool
    /// The groups, in the order shown.
    let groups: @Sendable (Context) async throws -> [IndexReport.Group]

    /// Every breakdown, in the order the API documents them.
    static let all: [Breakdown] = [.element, .item, .unit, .procedure, .channel, .month, .quarter, .year, .timeliness]
}

// MARK: - What a breakdown is made from

extension Breakdown {
    /// What the index service read for one request, for a breakdown to make its groups from.
    struct Context: Sendable {
        let service: IndexService
        let request: IndexRequest
        let snapshot: UnitSnapshot
        let scope: UnitScope
        /// The questionnaire versions counted.
        let definitions: [SurveyDefinition]
        /// The whole scope's figures.
        let figures: IndexFigures
        /// The summed tallies, per questionnaire version, per group key as ``grouping`` reads it.
        let sheets: [Int: [String: TallySheet]]

        /// The figures of one group key, combining the versions by their respondents (or of the whole scope, merging
        /// every key, when nil).
        func figures(of key: String?, in sheets: [Int: [String: TallySheet]]) -> IndexFigures {
            service.figures(of: key, in: sheets, definitions: definitions)
        }

        /// One group per key read (after `key` maps it, e.g. a month to its quarter), sorted by key, with the keys of
        /// `present` shown even without responses; labelled by `label`.
        func tallyGroups(
            key: (String) -> String = { $0 }, label: (String) -> String = { $0 }, present: Set<String> = []
        ) -> [IndexReport.Group] {
            var merged: [Int: [String: TallySheet]] = [:]
            for (version, byKey) in sheets {
                for (read, sheet) in byKey { merged[version, default: [:]][key(read), default: [:]].add(sheet) }
            }
            let keys = Set(merged.values.flatMap(\.keys)).union(present).sorted()
            return keys.map { .init(key: $0, label: label($0), figures: figures(of: $0, in: merged), figure: nil) }
        }
    }
}

// MARK: - As a query word

extension Breakdown: ParameterWord {
    static var meaning: String { "a breakdown of the index" }
    static var allCases: [Breakdown] { all }
    var rawValue: String { name }
    init?(rawValue: String) {
        guard let found = Self.all.first(where: { $0.name == rawValue }) else { return nil }
        self = found
    }
}
