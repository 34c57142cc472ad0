import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// Group commit, backpressure and failed commits, on the real database file. A second connection holds
/// the write lock (`BEGIN IMMEDIATE`) to keep the writer busy, so what queues behind it is deterministic.
@Suite("Group commit")
struct GroupCommitTests {
    /// Holds SQLite's write lock from another connection until `release()`.
    final class WriteLock: Sendable {
        private let queue: DatabaseQueue

        init(path: String) throws {
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // the transaction spans two database accesses on purpose
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        }

        /// Runs `sql` inside the held transaction: it commits with ``release()``.
        func execute(_ sql: String) throws {
            try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        }

        func release() throws {
            try queue.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
    }

    @Test("requests queued behind a commit are stored together in the next one, each acknowledged with its own outcome")
    func sharedCommit() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let device = try await env.device(key: key)
        let writer = ResponseWriter(database: env.database, capacity: 1_000, logger: .init(label: "test"))
        let intake = try Self.intake(env, writer: writer)

        let lock = try WriteLock(path: env.configuration.databasePath)
        let results = try await withThrowingTaskGroup(of: ResponseIntake.Outcome.self) { group in
            for number in 0..<40 {
                group.addTask {
                    let submission = try JSONDecoder().decode(
                        ResponseSubmission.self, from: Data(sipasResponse(id: Self.uuid(number)).utf8))
                    return try await intake.submit([.success(submission)], from: .device(device))[0]
                }
            }
            // The first commit waits on the lock; the others gather behind it.
            try await waitUntil("39 responses queued") { await writer.depth >= 39 }
            try lock.release()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let created = results.filter { if case .stored(.created) = $0 { true } else { false } }
        #expect(created.count == 40)
        let statistics = await writer.statistics
        #expect(statistics.commits == 2)
        #expect(statistics.largestGroup == 39)
        #expect(try await env.database.responseCount() == 40)
    }

    @Test("a full queue turns requests away at once; what was queued is stored when the writer catches up")
    func backpressure() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let device = try await env.device(key: key)
        let writer = ResponseWriter(database: env.database, capacity: 3, logger: .init(label: "test"))
        let intake = try Self.intake(env, writer: writer)
        func submit(_ number: Int) async throws -> ResponseIntake.Outcome {
            let submission = try JSONDecoder().decode(
                ResponseSubmission.self, from: Data(sipasResponse(id: Self.uuid(number)).utf8))
            return try await intake.submit([.success(submission)], from: .device(device))[0]
        }

        let lock = try WriteLock(path: env.configuration.databasePath)
        let first = Task { try await submit(0) }
        // The first response is in its commit (waiting on the lock) once it has left the queue.
        try await waitUntil("a commit under way") { await writer.isCommitting }
        let queued = (1...3).map { number in Task { try await submit(number) } }
        try await waitUntil("3 responses queued") { await writer.depth >= 3 }
        await #expect(throws: ResponseWriter.WriteFailure.queueFull) { try await submit(4) }
        try lock.release()
        for task in [first] + queued {
            guard case .stored(.created) = try await task.value else { Issue.record("not stored"); continue }
        }
        #expect(await writer.statistics.turnedAway == 1)
        #expect(try await env.database.responseCount() == 4)
    }

    @Test("a full queue is answered 503 with Retry-After, saying nothing was stored")
    func queueFullAnswer() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.post("/v1/responses") { _, _ -> Response in throw ResponseWriter.WriteFailure.queueFull }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/v1/responses", method: .post)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(
                try response.problem().detail
                    == "the server is busy storing other responses; nothing was stored, send again later")
        }
    }

    @Test("a response the database refuses in a group fails alone with 422; its neighbour in the same group is stored")
    func refusedInGroup() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        // A response the database refuses, standing in for a schema rule that validation missed.
        try await env.database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER poison BEFORE INSERT ON response WHEN NEW.comment = 'poison'
                    BEGIN SELECT RAISE(ABORT, 'poisoned'); END
                    """)
        }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let lock = try WriteLock(path: env.configuration.databasePath)
            let first = Task {
                try await client.post("/v1/responses", key: key, json: sipasResponse(id: Self.uuid(1))).status
            }
            try await Task.sleep(for: .milliseconds(1_000))
            let poisoned = Task {
                try await client.post(
                    "/v1/responses", key: key, json: sipasResponse(id: Self.uuid(2), extra: #","comment":"poison""#))
            }
            let neighbour = Task {
                try await client.post("/v1/responses", key: key, json: sipasResponse(id: Self.uuid(3)))
            }
            // Both wait for the next commit before the lock goes (a loaded machine may take more than a second to queue them).
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let metrics = try await client.get("/metrics", token: admin).text
                let depth = metrics.split(separator: "\n").first { $0.hasPrefix("sipas_write_queue_depth ") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }
                if depth == 2 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try lock.release()

            #expect(try await first.value == .created)
            let refused = try await poisoned.value
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem().detail.contains("poisoned"))
            #expect(try await neighbour.value.status == .created)
            let again = try await client.post("/v1/responses", key: key, json: sipasResponse(id: Self.uuid(3)))
            #expect(again.headers[.idempotentReplayed] == "true")
        }
        let stored = try await env.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM response ORDER BY id")
        }
        #expect(stored == [Self.uuid(1), Self.uuid(3)])
        // The aggregates were rolled back with the failed group: three answers for each stored response.
        let answered = try await env.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM response_answer")
        }
        #expect(answered == 6)
    }

    @Test(
        "a fault of the database itself (disk full) fails the whole group with commitFailed (503); nothing is half-stored"
    )
    func diskFull() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let device = try await env.device(key: key)
        let writer = ResponseWriter(database: env.database, capacity: 1_000, logger: .init(label: "test"))
        let intake = try Self.intake(env, writer: writer)
        func submit(_ number: Int) async throws -> ResponseIntake.Outcome {
            let comment = String(repeating: "đầy ", count: 240)
            let submission = try JSONDecoder().decode(
                ResponseSubmission.self,
                from: Data(sipasResponse(id: Self.uuid(number), extra: #","comment":"\#(comment)""#).utf8))
            return try await intake.submit([.success(submission)], from: .device(device))[0]
        }
        // SQLite's own "database or disk is full": the writer's connection may not grow the file.
        try await env.database.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        var full = 0
        for number in 0..<20 {
            do { _ = try await submit(number) } catch ResponseWriter.WriteFailure.commitFailed { full += 1 }
        }
        #expect(full > 0)
        let statistics = await writer.statistics
        #expect(statistics.failedCommits == full)
        #expect(try env.database.verify().isOK)
        try await env.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA max_page_count = 1073741823")
        }
        guard case .stored(.created) = try await submit(100) else {
            Issue.record("not stored once there was room"); return
        }
    }

    static func uuid(_ number: Int) -> String {
        String(format: "00000000-0000-4000-8000-%012d", number)
    }

    /// The intake as `buildApplication` wires it, over the given writer.
    static func intake(_ env: TestEnvironment, writer: ResponseWriter) throws -> ResponseIntake {
        let catalog = try env.database.publishSurveys(
            SurveyFiles.load(from: env.configuration.surveysDirectory), now: TestEnvironment.now)
        return ResponseIntake(
            writer: writer, catalog: catalog, units: UnitCache(database: env.database),
            devices: DeviceKeys(database: env.database), now: { TestEnvironment.now })
    }
}
