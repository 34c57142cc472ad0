import Foundation
import Logging

/// Group commit: the one path by which the server stores responses.
///
/// With `synchronous=FULL` every commit waits for the disk to sync, so one commit per request would cap
/// ingest at the disk's sync rate. Requests instead queue their responses here; a single drain loop takes
/// everything queued (up to `maximumGroup`), stores it in one transaction, and only after that commit
/// returns hands each request its own outcomes. While one commit syncs, the next group gathers.
///
/// When a group's transaction fails, it is stored again with a savepoint per response: a response the
/// database refuses fails alone (``StoreOutcome/refused(id:problem:)``, answered 422) and the rest commit.
/// Only a fault of the database itself fails the group's requests (``WriteFailure/commitFailed``, answered
/// 503: nothing of theirs was stored, so a retry is safe). When more responses wait than `capacity`, new
/// requests are turned away at once (``WriteFailure/queueFull``, 503 with `Retry-After`) instead of
/// growing memory without bound.
///
/// Each request comes with its ``CommitPremise`` (the device key and units revision it was prepared with), which the
/// transaction confirms before storing anything (``CommitCheck``): a request whose premise no longer holds stores
/// nothing and is answered ``Commit/notStored(_:)``, the others of its group commit as usual.
actor ResponseWriter {
    enum WriteFailure: Error, Equatable {
        /// The queue holds `capacity` responses already.
        case queueFull
        /// The transaction of this request's group failed and was rolled back.
        case commitFailed
        /// The device or the units changed again while the request, prepared anew after a first change, waited for
        /// its commit (``ResponseIntake``); nothing was stored.
        case changedMeanwhile
    }

    /// What became of one request's responses in its group's commit.
    enum Commit: Sendable {
        /// Stored, or found stored already: an outcome each, in order.
        case stored([StoreOutcome])
        /// Nothing stored: the request's premise no longer held in the commit's transaction.
        case notStored(CommitPremise.Change)
    }

    /// What the writer did, for metrics and tests.
    struct Statistics: Sendable, Equatable {
        var commits = 0
        var responses = 0
        var largestGroup = 0
        var failedCommits = 0
        var turnedAway = 0
        /// Requests whose premise no longer held in their commit (``Commit/notStored(_:)``).
        var notStored = 0
    }

    private struct Job {
        let responses: [PreparedResponse]
        let premise: CommitPremise
        let continuation: CheckedContinuation<Commit, any Error>
    }

    private let database: AppDatabase
    private let capacity: Int
    private let maximumGroup: Int
    private let logger: Logger
    private let metrics: AppMetrics?
    private var queue: [Job] = []
    private var queued = 0
    private var draining = false
    /// A group's transaction is running.
    private(set) var isCommitting = false
    private(set) var statistics = Statistics()

    /// - Parameters:
    ///   - capacity: most responses waiting (not yet in a commit) before requests are turned away.
    ///   - maximumGroup: most responses in one transaction; a batch larger than this still commits whole.
    init(database: AppDatabase, capacity: Int, maximumGroup: Int = 2_000, logger: Logger, metrics: AppMetrics? = nil) {
        self.database = database
        self.metrics = metrics
        self.capacity = max(1, capacity)
        self.maximumGroup = max(1, maximumGroup)
        self.logger = logger
    }

    /// Responses waiting for a commit (the write-queue depth).
    var depth: Int { queued }

    /// Stores the responses of one request, if its `premise` still holds in the commit's transaction, and returns
    /// their outcomes, in order, once they are committed.
    func store(_ responses: [PreparedResponse], premise: CommitPremise) async throws -> Commit {
        guard !responses.isEmpty else { return .stored([]) }
        // One request is never split across commits, so a batch is all-or-nothing. A batch larger than the
        // whole capacity is still taken when the queue is empty, or it could never be stored.
        guard queued == 0 || queued + responses.count <= capacity else {
            statistics.turnedAway += 1
            metrics?.refused("queue_full")
            throw WriteFailure.queueFull
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(responses: responses, premise: premise, continuation: continuation))
            queued += responses.count
            metrics?.writeQueueDepth.set(Double(queued))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            var cut = 0
            var count = 0
            while cut < queue.count, cut == 0 || count + queue[cut].responses.count <= maximumGroup {
                count += queue[cut].responses.count
                cut += 1
            }
            let group = Array(queue[..<cut])
            queue.removeFirst(cut)
            queued -= count
            metrics?.writeQueueDepth.set(Double(queued))
            await commit(group, count: count)
        }
        draining = false
    }

    private func commit(_ group: [Job], count: Int) async {
        isCommitting = true
        defer { isCommitting = false }
        let started = ContinuousClock.now
        let responses = group.flatMap(\.responses)
        let check = CommitCheck(group.map { (premise: $0.premise, responses: $0.responses.count) })
        do {
            // Suspends while GRDB's writer runs the transaction: requests arriving meanwhile form the next group.
            let outcomes: [StoreOutcome]
            do {
                outcomes = try await database.store(responses, isolating: false, checking: check)
            } catch {
                // One response the database refuses must not fail the others committed with it: the group is
                // stored again with a savepoint per response, so only that one is rolled back (and answered
                // 422, or 500). Only a fault of the database itself fails the group again.
                logger.warning(
                    "a group commit failed; storing its responses one by one",
                    metadata: ["responses": "\(count)", "error": "\(String(reflecting: error))"])
                outcomes = try await database.store(responses, isolating: true, checking: check)
                for case .refused(let id, let problem) in outcomes {
                    logger.error(
                        "the database refused a validated response",
                        metadata: ["id": "\(id)", "problem": "\(problem.message)"])
                }
            }
            metrics?.commitLatency.record(ContinuousClock.now - started)
            statistics.commits += 1
            statistics.responses += outcomes.count
            statistics.largestGroup = max(statistics.largestGroup, count)
            // The outcomes are those of the requests whose premise held, in order.
            var start = 0
            for (job, change) in zip(group, check.changes) {
                if let change {
                    statistics.notStored += 1
                    job.continuation.resume(returning: .notStored(change))
                    continue
                }
                let end = start + job.responses.count
                job.continuation.resume(returning: .stored(Array(outcomes[start..<end])))
                start = end
            }
        } catch {
            statistics.failedCommits += 1
            metrics?.refused("commit_failed", requests: group.count)
            logger.error(
                "a group commit failed; its requests are answered 503",
                metadata: [
                    "requests": "\(group.count)", "responses": "\(count)", "error": "\(String(reflecting: error))",
                ])
            for job in group { job.continuation.resume(throwing: WriteFailure.commitFailed) }
        }
    }
}
