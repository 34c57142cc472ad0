extension Breakdown {
    /// By the month a response was given (`groupBy=month`), `YYYY-MM`.
    static let month = Breakdown(name: "month", grouping: .month, sharesRespondents: true) { context in
        context.tallyGroups()
    }
}
