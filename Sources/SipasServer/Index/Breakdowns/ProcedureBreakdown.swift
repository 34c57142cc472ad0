extension Breakdown {
    /// By the procedure (thủ tục hành chính) each response was about (`groupBy=procedure`), by its code.
    static let procedure = Breakdown(name: "procedure", grouping: .procedure, sharesRespondents: true) { context in
        context.tallyGroups()
    }
}
