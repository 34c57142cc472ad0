extension Breakdown {
    /// By element of the questionnaire (`groupBy=element`; yếu tố): each element's index, of the same respondents.
    static let element = Breakdown(name: "element", grouping: .none, sharesRespondents: false) { context in
        context.figures.elements.map { .init(key: $0.id, label: $0.title.vi, figures: nil, figure: $0.figure) }
    }
}
