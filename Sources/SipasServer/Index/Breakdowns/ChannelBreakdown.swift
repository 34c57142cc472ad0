extension Breakdown {
    /// By the channel each response came through (`groupBy=channel`): desk, kiosk or web.
    static let channel = Breakdown(name: "channel", grouping: .channel, sharesRespondents: true) { context in
        context.tallyGroups()
    }
}
