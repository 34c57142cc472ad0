extension Breakdown {
    /// By the units directly under the one asked for (`groupBy=unit`), with the name each had at the period's end;
    /// a unit without any response still appears, so a missing commune is visible.
    static let unit = Breakdown(name: "unit", grouping: .unit, sharesRespondents: true) { context in
        let root = context.scope.version?.code ?? context.request.unit
        return context.tallyGroups(
            label: { context.snapshot.groupLabel($0, root: root, on: context.request.to, scope: context.scope) },
            present: Set(context.scope.segments.map(\.group)))
    }
}
