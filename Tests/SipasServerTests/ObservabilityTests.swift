import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("Metrics, request ids and the audit log")
struct ObservabilityTests {
    @Test(
        "after traffic, /metrics counts requests by route and status, responses by result, commits and the database size"
    )
    func metricsAfterTraffic() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        let official = try env.token(.official, unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            #expect(try await client.post("/v1/responses", key: device, json: sipasResponse()).status == .created)
            #expect(
                try await client.post("/v1/responses", key: device, json: sipasResponse(answers: #"{"a1":9}"#)).status
                    == .unprocessableContent)

            let forbidden = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(official)"])
            #expect(forbidden.status == .forbidden)
            let response = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(admin)"])
            #expect(response.status == .ok)
            let text = response.text
            #expect(text.contains(#"sipas_http_requests_total{method="POST",route="/v1/responses",status="201"} 1"#))
            #expect(text.contains(#"sipas_http_requests_total{method="POST",route="/v1/responses",status="422"} 1"#))
            #expect(text.contains(#"sipas_responses_total{result="created"} 1"#))
            #expect(text.contains(#"sipas_responses_total{result="invalid"} 1"#))
            #expect(text.contains("sipas_commit_duration_seconds_count 1"))
            #expect(text.contains("sipas_write_queue_depth 0"))
            let size = text.split(separator: "\n").first { $0.hasPrefix("sipas_database_bytes ") }
            #expect((size?.split(separator: " ").last).flatMap { Double($0) }.map { $0 > 10_000 } == true)
        }
    }

    @Test("every answer carries a request id; a plain id from a proxy is kept, anything else replaced")
    func requestIDs() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let plain = try await client.execute(uri: "/healthz", method: .get)
            #expect(plain.headers[.requestID]?.count == 18)
            let kept = try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "proxy-42_a"])
            #expect(kept.headers[.requestID] == "proxy-42_a")
            let replaced = try await client.execute(uri: "/nowhere", method: .get, headers: [.requestID: "<script>"])
            #expect(replaced.status == .notFound)
            #expect(replaced.headers[.requestID].map { $0 != "<script>" && $0.count == 18 } == true)
        }
    }

    @Test("devices and tokens added or revoked and imports are in the audit log, for admins only; it cannot be edited")
    func auditLog() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try await env.database.addDevice(
            unit: "875", desk: "Một cửa 2", label: "tablet", now: TestEnvironment.now)
        #expect(try env.database.revokeDevice(id: device.device.id, now: TestEnvironment.now))
        #expect(try env.database.revokeDevice(id: device.device.id, now: TestEnvironment.now) == false)
        let admin = try env.token(.admin, unit: nil)
        let official = try env.token(.official, unit: "875")
        try env.importProcedures()
        let actions = try await env.database.auditEntries().map(\.action)
        #expect(
            actions == ["procedures.import", "token.add", "token.add", "device.revoke", "device.add", "units.import"])
        #expect(
            try await env.database.auditEntries().allSatisfy {
                !$0.detail.contains(admin) && !$0.detail.contains(device.key)
            }
        )

        try await env.withApp { (client: any TestClientProtocol) async throws in
            let listed = try await client.execute(
                uri: "/v1/audit?limit=2", method: .get, headers: [.authorization: "Bearer \(admin)"])
            #expect(listed.status == .ok)
            let entries = try listed.decode(AuditController.Reply.self).entries
            #expect(entries.map(\.action) == ["procedures.import", "token.add"])
            let refused = try await client.execute(
                uri: "/v1/audit", method: .get, headers: [.authorization: "Bearer \(official)"])
            #expect(refused.status == .forbidden)
            let bad = try await client.execute(
                uri: "/v1/audit?since=yesterday", method: .get, headers: [.authorization: "Bearer \(admin)"])
            #expect(bad.status == .unprocessableContent)
        }
        #expect(throws: DatabaseError.self) {
            try env.database.writer.write { db in try db.execute(sql: "DELETE FROM audit_log") }
        }
    }
}
