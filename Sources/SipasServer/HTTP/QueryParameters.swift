/// A request's query parameters, decoded, in the order given; a name may appear more than once here, and the
/// endpoint's ``ParameterReader`` refuses that rather than letting the last one win.
struct QueryParameters: Sendable {
    /// The name–value pairs as given.
    let pairs: [(name: String, value: String)]

    init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// One pair a name (a page's own links, tests).
    init(_ values: [String: String]) {
        self.pairs = values.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// Each name's first value, for the web pages that read one optional word (`lang`, `t`) and ignore the rest.
    var first: [String: String] {
        Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The names given more than once, each with how many times, sorted.
    var repeated: [(name: String, count: Int)] {
        Dictionary(pairs.map { ($0.name, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }.sorted { $0.key < $1.key }
            .map { (name: $0.key, count: $0.value) }
    }

    /// These parameters with `values` in place of any of the same name (a form posted back names its own).
    func replacing(_ values: [String: String]) -> QueryParameters {
        QueryParameters(pairs.filter { values[$0.name] == nil } + QueryParameters(values).pairs)
    }

    /// These parameters with `name` added as `value` when it is absent (`from1` written as `from`).
    func adding(_ name: String, from other: String) -> QueryParameters {
        guard !pairs.contains(where: { $0.name == name }) else { return self }
        return QueryParameters(pairs + pairs.filter { $0.name == other }.map { (name: name, value: $0.value) })
    }
}
