import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// The ingest routes read nothing before the commit: the device key comes from a cache and the units from a snapshot,
/// and the group commit confirms both inside the transaction that would store the responses. Changes come from a
/// second opening of the file, on purpose: `sipas device revoke` and `sipas units import` are other processes, whose
/// changes the running server must see on the very next request.
@Suite("Ingest: the commit confirms the device and the units")
struct CommitPremiseTests {
    /// A response for commune 30172 without a unit: filed under the device's unit.
    static func noUnit(id: String = UUID().uuidString.lowercased()) -> String {
        sipasResponse(id: id).replacingOccurrences(of: #""unit":"30172","#, with: "")
    }

    static func batch(_ responses: String...) -> String {
        #"{"responses":[\#(responses.joined(separator: ","))]}"#
    }

    /// The stored response `id`: its unit code, desk, and the start of the unit version it is filed under.
    static func filed(_ id: String, _ database: SQLiteDatabase) async throws -> [String?] {
        try await database.writer.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.unit, r.desk, u.validFrom FROM response r JOIN unit u ON u.id = r.unitId
                        WHERE r.id = ?
                        """, arguments: [id]))
            return [row["unit"], row["desk"], row["validFrom"]]
        }
    }

    // MARK: - Revoked keys

    @Test("a key revoked by another process after it was cached is refused 401 on its very next POST, single and batch")
    func revokedAfterCaching() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let single = try env.deviceKey(desk: "Quầy 1")
        let batched = try env.deviceKey(desk: "Quầy 2")
        try await env.withApp { client in
            // The first request of each key reads it from the database, and caches it.
            #expect(try await client.post("/v1/responses", key: single, json: sipasResponse()).status == .created)
            #expect(
                try await client.post("/v1/responses/batch", key: batched, json: Self.batch(sipasResponse())).status
                    == .ok)
            let unknown = try await client.post("/v1/responses", key: "sipas_dev_never_issued", json: sipasResponse())

            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            for device in try await cli.devices() {
                #expect(try cli.revokeDevice(id: device.id, now: TestEnvironment.now))
            }

            let refused = try await client.post("/v1/responses", key: single, json: sipasResponse())
            let refusedBatch = try await client.post(
                "/v1/responses/batch", key: batched, json: Self.batch(sipasResponse(), sipasResponse()))
            // Answered as an unknown key is: the same status, header and words.
            for answer in [refused, refusedBatch] {
                #expect(answer.status == .unauthorized)
                #expect(answer.headers[.wwwAuthenticate] == "Bearer")
                #expect(try answer.problem().detail == unknown.problem().detail)
            }
            #expect(try unknown.problem().detail == "the device key is unknown or has been revoked")
            // Still refused afterwards (the key was forgotten, so this one is refused by the lookup).
            #expect(try await client.post("/v1/responses", key: single, json: sipasResponse()).status == .unauthorized)
        }
        #expect(try await env.database.responseCount() == 2)
    }

    @Test("a key replaced by a rekey in another process stops working at once, though its device is still active")
    func rekeyedAfterCaching() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            let fresh = try #require(try cli.rekeyDevice(id: 1, now: TestEnvironment.now)).key
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .unauthorized)
            #expect(try await client.post("/v1/responses", key: fresh, json: sipasResponse()).status == .created)
        }
        #expect(try await env.database.responseCount() == 2)
    }

    /// Requests refused before any commit (the route, the intake) or stored by none, each sent with a cached key
    /// revoked meanwhile: `warm` requests first (the bucket holds 5 at 1 a second).
    static let refusedWithoutCommit: [Named<(uri: String, body: String, warm: Int)>] = [
        Named("broken JSON (400)", ("/v1/responses", "{", 1)),
        Named("an invalid response (422)", ("/v1/responses", sipasResponse(answers: #"{"a1":9}"#), 1)),
        Named(
            "a unit outside the device's (422)",
            ("/v1/responses", sipasResponse().replacingOccurrences(of: "30172", with: "30226"), 1)),
        Named("an empty batch (422)", ("/v1/responses/batch", #"{"responses":[]}"#, 1)),
        Named(
            "a batch of invalid responses (200 with no commit)",
            ("/v1/responses/batch", batch(sipasResponse(answers: #"{"a1":9}"#)), 1)),
        Named("too many requests (429)", ("/v1/responses", sipasResponse(), 5)),
    ]

    @Test(
        "a cached key revoked meanwhile hears 401 where no commit confirms it, as when every request read it",
        arguments: refusedWithoutCommit)
    func revokedWithoutCommit(_ example: Named<(uri: String, body: String, warm: Int)>) async throws {
        let (uri, body, warm) = example.value
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        var configuration = env.configuration
        configuration.deviceRate = 1
        try await env.withApp(configuration) { client in
            for _ in 0..<warm {
                #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            }
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            #expect(try cli.revokeDevice(id: 1, now: TestEnvironment.now))
            let answer = try await client.post(uri, key: key, json: body)
            #expect(answer.status == .unauthorized)
            #expect(try answer.problem().detail == "the device key is unknown or has been revoked")
        }
        #expect(try await env.database.responseCount() == warm)
    }

    @Test(
        "a revocation while the request waits for its commit refuses it (before the cache, it would have been stored)")
    func revokedWhileWaiting() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let device = try await env.device(key: key)
        let writer = ResponseWriter(database: env.database, capacity: 1_000, logger: .init(label: "test"))
        let intake = try GroupCommitTests.intake(env, writer: writer)
        let submission = try JSONDecoder().decode(ResponseSubmission.self, from: Data(sipasResponse().utf8))

        let lock = try GroupCommitTests.WriteLock(path: env.configuration.databasePath)
        // The device was read as active; its commit waits for the lock, and the revocation commits first.
        let waiting = Task { try await intake.submit([.success(submission)], from: .device(device)) }
        try await waitUntil("a commit under way") { await writer.isCommitting }
        try lock.execute("UPDATE device SET revokedAt = '2024-11-29T03:00:00.000Z' WHERE id = \(device.device.id)")
        try lock.release()
        await #expect(throws: AccessRefused.deviceKeyRefused) { try await waiting.value }
        #expect(try await env.database.responseCount() == 0)
        #expect(await writer.statistics.notStored == 1)
    }

    @Test("the other routes keep reading the key: a device key cached by a POST and revoked is refused there at once")
    func otherRoutesRead() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            #expect(try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H1"}"#).status == .created)
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            #expect(try cli.revokeDevice(id: 1, now: TestEnvironment.now))
            // A ticket issued for a revoked key would be a response stored without any commit checking it.
            let ticket = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H2"}"#)
            #expect(ticket.status == .unauthorized)
            // 401 (unknown key), not 403 (a device key that may not read figures).
            #expect(try await client.get("/v1/index?unit=875&year=2024", token: key).status == .unauthorized)
        }
    }

    @Test("the cache answers without reading; a read refreshes it, and a key found refused is forgotten")
    func cache() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(desk: "Quầy 1")
        let hash = SecretKey.hash(key)
        let devices = DeviceKeys(database: env.database)
        let read = try #require(try await devices.device(keyHash: hash, cached: true))
        #expect(read.isConfirmed && read.device.desk == "Quầy 1")
        try await env.database.writer.write { db in try db.execute(sql: "UPDATE device SET desk = 'Quầy 2'") }
        let cached = try #require(try await devices.device(keyHash: hash, cached: true))
        #expect(!cached.isConfirmed && cached.device.desk == "Quầy 1")
        #expect(try await devices.confirm(cached)?.device.desk == "Quầy 2")
        #expect(try await devices.device(keyHash: hash, cached: true)?.device.desk == "Quầy 2")
        #expect(try env.database.revokeDevice(id: 1, now: TestEnvironment.now))
        #expect(try await devices.device(keyHash: hash, cached: true) != nil)
        #expect(try await devices.device(keyHash: hash, cached: false) == nil)
        #expect(try await devices.device(keyHash: hash, cached: true) == nil)
    }

    // MARK: - Changed devices

    @Test("a device whose desk is changed by another process files its very next responses under the new desk")
    func deskChanged() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(desk: "Quầy 1")
        let (single, inBatch) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            try await cli.writer.write { db in try db.execute(sql: "UPDATE device SET desk = 'Quầy 7' WHERE id = 1") }
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse(id: single)).status == .created)
            try await cli.writer.write { db in try db.execute(sql: "UPDATE device SET desk = 'Quầy 8' WHERE id = 1") }
            let batch = try await client.post(
                "/v1/responses/batch", key: key, json: Self.batch(sipasResponse(id: inBatch)))
            #expect(try batch.decode(ResponsesController.BatchReply.self).created == 1)
        }
        #expect(try await Self.filed(single, env.database)[1] == "Quầy 7")
        #expect(try await Self.filed(inBatch, env.database)[1] == "Quầy 8")
        #expect(try env.database.verify().isOK)
    }

    @Test("a device moved to another unit by another process files its very next responses there")
    func unitChanged() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(unit: "875")
        let other = try env.deviceKey(unit: "875")
        let (defaulted, named) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            #expect(try await client.post("/v1/responses", key: other, json: sipasResponse()).status == .created)
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            try await cli.writer.write { db in try db.execute(sql: "UPDATE device SET unit = '876'") }
            // Without a unit: resolved under the cached 875, then the commit finds the device moved.
            #expect(
                try await client.post("/v1/responses", key: key, json: Self.noUnit(id: defaulted)).status == .created)
            // Naming a commune of 876: refused against the cached 875, so the device is read again before answering.
            let commune = sipasResponse(id: named).replacingOccurrences(of: "30172", with: "30226")
            #expect(try await client.post("/v1/responses", key: other, json: commune).status == .created)
            // And a commune of 875 is now outside the device's unit.
            let outside = try await client.post("/v1/responses", key: other, json: sipasResponse())
            #expect(outside.status == .unprocessableContent)
        }
        #expect(try await Self.filed(defaulted, env.database)[0] == "876")
        #expect(try await Self.filed(named, env.database)[0] == "30226")
    }

    @Test("a device changed twice in the moment between two commits gets a retryable 503, and nothing is stored")
    func changedMeanwhile() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(desk: "Quầy 1")
        let device = try await env.device(key: key)
        let neighbour = try await env.device(key: try env.deviceKey(desk: "Quầy 9"))
        let writer = ResponseWriter(database: env.database, capacity: 1_000, logger: .init(label: "test"))
        let intake = try GroupCommitTests.intake(env, writer: writer)
        func submission() throws -> ResponseSubmission {
            try JSONDecoder().decode(ResponseSubmission.self, from: Data(sipasResponse().utf8))
        }
        // Each response of the neighbour changes the device's desk, in the commit that stores it: the device's request,
        // found outdated in the neighbour's second commit and prepared again, finds it changed once more in the next.
        try await env.database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER desk_again AFTER INSERT ON response WHEN NEW.deviceId = \(neighbour.device.id)
                    BEGIN UPDATE device SET desk = desk || '+' WHERE id = \(device.device.id); END
                    """)
        }
        let lock = try GroupCommitTests.WriteLock(path: env.configuration.databasePath)
        let first = Task { try await intake.submit([.success(try submission())], from: .device(neighbour)) }
        try await waitUntil("a commit under way") { await writer.isCommitting }
        let changed = Task { try await intake.submit([.success(try submission())], from: .device(device)) }
        let stored = Task { try await intake.submit([.success(try submission())], from: .device(neighbour)) }
        try await waitUntil("2 responses queued") { await writer.depth >= 2 }
        try lock.release()
        _ = try await first.value
        await #expect(throws: ResponseWriter.WriteFailure.changedMeanwhile) { try await changed.value }
        guard case .stored(.created) = try await stored.value[0] else { Issue.record("not stored"); return }
        #expect(try await env.database.responseCount() == 2)
    }

    @Test("the retryable 503 says nothing was stored")
    func changedMeanwhileAnswer() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.post("/v1/responses") { _, _ -> Response in throw ResponseWriter.WriteFailure.changedMeanwhile }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/v1/responses", method: .post)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(try response.problem().detail.contains("nothing was stored, send again"))
        }
    }

    // MARK: - Units

    @Test("a commune added by another process is known to the very next POST")
    func communeAdded() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let id = UUID().uuidString.lowercased()
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            _ = try await cli.importUnits([
                .init(
                    line: 2, code: "30999", name: "Xã Mới", level: "commune", parent: "875", validFrom: "2004-01-01",
                    validTo: "2025-06-30")
            ])
            let response = sipasResponse(id: id).replacingOccurrences(of: "30172", with: "30999")
            #expect(try await client.post("/v1/responses", key: key, json: response).status == .created)
        }
        #expect(try await Self.filed(id, env.database)[0] == "30999")
    }

    @Test("a unit's new version imported by another process is the one the very next response is filed under")
    func versionChanged() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        // Two communes of their own (the sample's are all predecessors of 2025's, whose versions cannot be cut short).
        @Sendable func commune(_ line: Int, _ code: String, _ name: String, from: String, to: String) -> UnitRow {
            .init(line: line, code: code, name: name, level: "commune", parent: "875", validFrom: from, validTo: to)
        }
        _ = try await env.database.importUnits([
            commune(2, "30997", "Xã Một", from: "2004-01-01", to: "2025-06-30"),
            commune(3, "30998", "Xã Hai", from: "2004-01-01", to: "2025-06-30"),
        ])
        let key = try env.deviceKey()
        let (single, inBatch) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: Self.noUnit()).status == .created)
            // A new version from the day before the responses' date: the cached units still have the old one in
            // force, which resolves them without a complaint; the commit finds the revision moved.
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            _ = try await cli.importUnits([
                commune(2, "30997", "Xã Một", from: "2004-01-01", to: "2024-11-27"),
                commune(3, "30997", "Xã Một Mới", from: "2024-11-28", to: "2025-06-30"),
            ])
            let response = sipasResponse(id: single).replacingOccurrences(of: "30172", with: "30997")
            #expect(try await client.post("/v1/responses", key: key, json: response).status == .created)
            _ = try await cli.importUnits([
                commune(2, "30998", "Xã Hai", from: "2004-01-01", to: "2024-11-28"),
                commune(3, "30998", "Xã Hai Mới", from: "2024-11-29", to: "2025-06-30"),
            ])
            let element = sipasResponse(id: inBatch).replacingOccurrences(of: "30172", with: "30998")
            let batch = try await client.post("/v1/responses/batch", key: key, json: Self.batch(element))
            #expect(try batch.decode(ResponsesController.BatchReply.self).created == 1)
        }
        #expect(try await Self.filed(single, env.database) == ["30997", "Một cửa 1", "2024-11-28"])
        #expect(try await Self.filed(inBatch, env.database) == ["30998", "Một cửa 1", "2024-11-29"])
        #expect(try env.database.verify().isOK)
    }
}
