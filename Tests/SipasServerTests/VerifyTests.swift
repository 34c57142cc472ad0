import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("sipas verify")
struct VerifyTests {
    /// Stores `count` responses through the app, one with a comment and expectations, and returns them by seq.
    static func stored(_ count: Int, in env: TestEnvironment) async throws -> [(seq: Int64, id: String)] {
        let key = try env.deviceKey()
        try await env.withApp { (client: any TestClientProtocol) async throws in
            for index in 0..<count {
                let extra = index == 1 ? #","comment":"Cán bộ tận tình","expectations":["shorter-time"]"# : ""
                #expect(
                    try await client.post("/v1/responses", key: key, json: sipasResponse(extra: extra)).status
                        == .created)
            }
        }
        return try await env.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, id FROM response ORDER BY seq").map { ($0["seq"], $0["id"]) }
        }
    }

    @Test("a clean database passes every check, with the chain's head as /v1/integrity gives it")
    func clean() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        _ = try await Self.stored(5, in: env)
        let report = try env.database.verify()
        #expect(report.checks.map(\.name) == ["integrity_check", "foreign keys", "aggregates", "response chain"])
        #expect(report.isOK, "\(report.checks.flatMap(\.faults))")
        let head = try await env.database.chainHead()
        #expect(head.count == 5 && report.chain?.head == head.head && report.chain?.count == 5)
        #expect(try env.database.verify(expectedHead: head.head).isOK)
    }

    @Test("an edited answer breaks the chain at that response, and its aggregates no longer add up")
    func editedAnswer() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let rows = try await Self.stored(5, in: env)
        try await env.database.writer.write { db in
            try db.execute(
                sql: "UPDATE response_answer SET value = 1 WHERE responseSeq = ? AND item = 'a1'",
                arguments: [rows[2].seq])
        }
        let report = try env.database.verify()
        #expect(!report.isOK)
        let breaks = try #require(report.chain?.breaks)
        #expect(breaks.map(\.seq) == [rows[2].seq])
        #expect(breaks.first?.id == rows[2].id)
        #expect(report.checks.first { $0.name == "aggregates" }?.isOK == false)
        #expect(report.checks.first { $0.name == "integrity_check" }?.isOK == true)
    }

    @Test("a deleted response breaks the chain at the next one, which the fault names")
    func deletedResponse() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let rows = try await Self.stored(5, in: env)
        try await env.database.writer.write { db in
            try db.execute(sql: "DELETE FROM response WHERE seq = ?", arguments: [rows[1].seq])
        }
        let report = try env.database.verify()
        let first = try #require(report.chain?.breaks.first)
        #expect(first.seq == rows[2].seq && first.id == rows[2].id)
        #expect(first.reason.contains("removed"))
        #expect(report.chain?.breaks.count == 1)
    }

    @Test("removing the newest responses is caught against a head reported earlier")
    func truncatedEnd() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let rows = try await Self.stored(3, in: env)
        let reported = try await env.database.chainHead()
        try await env.database.writer.write { db in
            try db.execute(sql: "DELETE FROM response WHERE seq = ?", arguments: [rows[2].seq])
        }
        #expect(try env.database.verify().checks.first { $0.name == "response chain" }?.isOK == true)
        let report = try env.database.verify(expectedHead: reported.head)
        #expect(report.chain?.containsExpectedHead == false)
        #expect(!report.isOK)
    }

    @Test("an edited comment is caught through its digest; an erased one is not a fault")
    func editedComment() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let rows = try await Self.stored(3, in: env)
        try await env.database.writer.write { db in
            try db.execute(
                sql: "UPDATE response SET comment = 'Cán bộ hách dịch' WHERE seq = ?", arguments: [rows[1].seq])
        }
        #expect(try env.database.verify().chain?.breaks.map(\.seq) == [rows[1].seq])
        try await env.database.writer.write { db in
            try db.execute(
                sql: "UPDATE response SET comment = NULL, commentSalt = NULL WHERE seq = ?", arguments: [rows[1].seq])
        }
        #expect(try env.database.verify().isOK)
    }

    @Test("the v6 migration chains responses stored before it, in seq order, as store() would have")
    func backfill() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        _ = try await Self.stored(4, in: env)
        let before = try await env.database.chainHead()
        try await env.database.writer.write { db in
            try db.execute(sql: "UPDATE response SET chainHash = NULL, commentDigest = NULL, commentSalt = NULL")
            try MigrationV6.backfillResponseChain(db)
        }
        let after = try await env.database.chainHead()
        #expect(after.count == 4)
        // The comment gets a new salt, so the head differs, but the chain verifies.
        #expect(after.head != before.head)
        #expect(try env.database.verify().isOK)
    }
}
