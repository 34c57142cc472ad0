import Testing

/// A wait that ran out of time; the test has recorded an issue naming what it waited for.
struct WaitTimedOut: Error, CustomStringConvertible {
    let description: String
}

/// Waits until `condition` holds, checking every 5 ms, for at most `limit`. Past the limit the test fails naming
/// `what`, instead of the whole run hanging on a condition that never comes. The limit is generous: the whole
/// suite runs in parallel on two cores, where a wait of a few milliseconds alone has been seen to take 30 s.
func waitUntil(
    _ what: String, limit: Duration = .seconds(120), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("waited \(limit) for \(what)", sourceLocation: sourceLocation)
            throw WaitTimedOut(description: "waited \(limit) for \(what)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
