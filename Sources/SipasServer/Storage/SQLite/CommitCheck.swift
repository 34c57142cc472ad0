import GRDB
import Synchronization

/// The check one group commit makes inside its transaction before it stores anything: every request's
/// ``CommitPremise`` against the rows as they are in that transaction. The writer passes it to
/// ``SQLiteDatabase/store(_:isolating:checking:)`` and reads what it found once the transaction is over.
final class CommitCheck: Sendable {
    private let premises: [(premise: CommitPremise, responses: Int)]
    private let found: Mutex<[CommitPremise.Change?]>

    /// The premise of each request of the group, in order, with how many of the group's responses are its.
    init(_ premises: [(premise: CommitPremise, responses: Int)]) {
        self.premises = premises
        self.found = Mutex(Array(repeating: nil, count: premises.count))
    }

    /// What the last check found for each request, in order: nil where the premise held and its responses were
    /// passed on to be stored.
    var changes: [CommitPremise.Change?] { found.withLock { $0 } }

    /// Checks every premise in the transaction `db` and returns the responses of the requests whose premise holds,
    /// in order (`responses` being the group's, request after request). Run again, it checks again.
    func admitted(_ responses: [PreparedResponse], _ db: Database) throws -> [PreparedResponse] {
        precondition(responses.count == premises.reduce(0) { $0 + $1.responses }, "the group's responses")
        let changes = try SQLiteDatabase.changes(of: premises.map(\.premise), db)
        found.withLock { $0 = changes }
        guard changes.contains(where: { $0 != nil }) else { return responses }
        var admitted: [PreparedResponse] = []
        var start = 0
        for ((_, count), change) in zip(premises, changes) {
            if change == nil { admitted += responses[start..<start + count] }
            start += count
        }
        return admitted
    }
}
