extension Breakdown {
    /// By question (`groupBy=item`; tiêu chí): each item's share satisfied, labelled by its wording in the first
    /// version that asks it.
    static let item = Breakdown(name: "item", grouping: .none, sharesRespondents: false) { context in
        context.figures.items.map { item in
            .init(
                key: item.id,
                label: context.definitions.lazy.compactMap { $0.item(item.id) }.first?.text.vi ?? item.id,
                figures: nil, figure: item.figure)
        }
    }
}
