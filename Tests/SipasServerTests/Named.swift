import Testing

/// One case of a parameterised test, shown by its name in the test output rather than as raw values or an index.
struct Named<Value: Sendable>: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let value: Value

    init(_ name: String, _ value: Value) {
        testDescription = name
        self.value = value
    }
}
