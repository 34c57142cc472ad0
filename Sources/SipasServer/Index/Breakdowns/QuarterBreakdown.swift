import SipasDomain

extension Breakdown {
    /// By quarter (`groupBy=quarter`), `YYYY-Qn`, summed from the months.
    static let quarter = Breakdown(name: "quarter", grouping: .month, sharesRespondents: true) { context in
        context.tallyGroups(key: Period.quarterKey(month:))
    }
}
