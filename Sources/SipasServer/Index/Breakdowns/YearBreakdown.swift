import SipasDomain

extension Breakdown {
    /// By calendar year (`groupBy=year`), `YYYY`, summed from the months.
    static let year = Breakdown(name: "year", grouping: .month, sharesRespondents: true) { context in
        context.tallyGroups(key: Period.yearKey(month:))
    }
}
