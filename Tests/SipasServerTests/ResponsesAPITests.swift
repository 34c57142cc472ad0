import GRDB
import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("POST /v1/responses")
struct ResponsesAPITests {
    @Test("a response is stored once; the same request again gets the same status and body, marked replayed")
    func createdThenReplayed() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let body = sipasResponse(id: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")
        try await env.withApp { client in
            let first = try await client.post("/v1/responses", key: key, json: body)
            #expect(first.status == .created)
            #expect(first.headers[.idempotentReplayed] == nil)
            let receipt = try first.decode(ResponsesController.Receipt.self)
            #expect(receipt.id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
            #expect(receipt.receivedAt == "2024-11-29T03:00:00.000Z")

            let again = try await client.post("/v1/responses", key: key, json: body)
            #expect(again.status == .created)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(again.text == first.text)
        }
        #expect(try await env.database.responseCount() == 1)
        let answers = try await env.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT item, value FROM response_answer ORDER BY item").map {
                "\($0["item"] as String)=\($0["value"] as Int)"
            }
        }
        #expect(answers == ["a1=5", "a2=4", "s1=3"])
    }

    @Test("the same id with different content is a 409 and leaves the stored response untouched")
    func conflict() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let id = UUID().uuidString
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse(id: id)).status == .created)
            let changed = try await client.post(
                "/v1/responses", key: key, json: sipasResponse(id: id, answers: #"{"a1":1}"#))
            #expect(changed.status == .conflict)
            #expect(changed.headers[.contentType] == "application/problem+json")
            #expect(try changed.problem().detail != "")
        }
        let value = try await env.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM response_answer WHERE item = 'a1'")
        }
        #expect(value == 5)
        #expect(try await env.database.responseCount() == 1)
    }

    @Test("16 identical requests at the same moment leave one row and all get the first acknowledgement")
    func concurrentResends() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let body = sipasResponse()
        try await env.withApp { client in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<16 { group.addTask { try await client.post("/v1/responses", key: key, json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == .created })
            #expect(Set(responses.map(\.text)).count == 1)
            #expect(responses.filter { $0.headers[.idempotentReplayed] == "true" }.count == 15)
        }
        #expect(try await env.database.responseCount() == 1)
    }

    @Test("a response without unit is filed under the device's unit; the unit version is the one in force")
    func unitResolution() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let districtKey = try env.deviceKey(unit: "875")
        let provinceKey = try env.deviceKey(unit: "82")
        var configuration = env.configuration
        configuration.now = { Timestamp.parse("2025-08-01T10:00:00+07:00")! }
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let noUnit = sipasResponse().replacingOccurrences(of: #""unit":"30172","#, with: "")
            #expect(try await client.post("/v1/responses", key: districtKey, json: noUnit).status == .created)
            // The same code 30169 is Thị trấn Lấp Vò before 1/7/2025 and Xã Lấp Vò after.
            let after = sipasResponse().replacingOccurrences(of: "30172", with: "30169")
                .replacingOccurrences(of: "2024-11-29T09:30:00+07:00", with: "2025-07-15T09:30:00+07:00")
            #expect(try await client.post("/v1/responses", key: provinceKey, json: after).status == .created)
        }
        let rows = try await env.database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT r.unit, u.name, u.validFrom FROM response r JOIN unit u ON u.id = r.unitId ORDER BY r.seq"
            )
            .map { "\($0["unit"] as String) \($0["name"] as String) \($0["validFrom"] as String)" }
        }
        #expect(rows == ["875 Huyện Lấp Vò 2004-01-01", "30169 Xã Lấp Vò 2025-07-01"])
    }

    /// Invalid content: 422, problem+json, and the field named.
    static let invalid: [(String, String, String)] = [
        (
            "unknown survey", sipasResponse().replacingOccurrences(of: #""survey":"sipas""#, with: #""survey":"nope""#),
            "survey"
        ),
        (
            "unknown version",
            sipasResponse().replacingOccurrences(of: #""surveyVersion":1"#, with: #""surveyVersion":7"#),
            "surveyVersion"
        ),
        ("unknown item", sipasResponse(answers: #"{"zz":4}"#), "answers.zz"),
        ("value outside the scale", sipasResponse(answers: #"{"a1":6}"#), "answers.a1"),
        ("empty answer set", sipasResponse(answers: "{}"), "answers"),
        ("non-integer value", sipasResponse(answers: #"{"a1":4.5}"#), "answers.a1"),
        ("value as text", sipasResponse(answers: #"{"a1":"5"}"#), "answers.a1"),
        (
            "version as text",
            sipasResponse().replacingOccurrences(of: #""surveyVersion":1"#, with: #""surveyVersion":"1""#),
            "surveyVersion"
        ),
        ("missing id", sipasResponse().replacingOccurrences(of: #""id":"#, with: #""ident":"#), "id"),
        ("malformed id", sipasResponse(id: "not-a-uuid"), "id"),
        (
            "submittedAt in the future",
            sipasResponse().replacingOccurrences(of: "2024-11-29T09:30:00+07:00", with: "2024-11-29T10:30:00+07:00"),
            "submittedAt"
        ),
        (
            "submittedAt unparseable",
            sipasResponse().replacingOccurrences(of: "2024-11-29T09:30:00+07:00", with: "29/11/2024"), "submittedAt"
        ),
        ("unknown unit", sipasResponse().replacingOccurrences(of: "30172", with: "99999"), "unit"),
        ("unit outside the device's", sipasResponse().replacingOccurrences(of: "30172", with: "876"), "unit"),
        (
            "comment over 1,000 characters",
            sipasResponse(extra: #","comment":"\#(String(repeating: "ê", count: 1_001))""#), "comment"
        ),
        ("body not an object", "[1,2]", "body"),
    ]

    @Test("invalid content is refused with 422 naming the field", arguments: invalid.map { Named($0.0, $0) })
    func refused(_ example: Named<(String, String, String)>) async throws {
        let (name, body, field) = example.value
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            let response = try await client.post("/v1/responses", key: key, json: body)
            #expect(response.status == .unprocessableContent, "\(name): \(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.problem()
            let fields = (problem.errors ?? []).map(\.field)
            #expect(fields.contains(field), "\(name): \(response.text)")
            #expect(problem.detail.contains(field), "\(name): \(response.text)")
        }
        #expect(try await env.database.responseCount() == 0)
    }

    @Test("transport errors: 400 for broken JSON, 415 for another media type, 413 over 64 KiB")
    func transportErrors() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            let broken = try await client.post("/v1/responses", key: key, json: #"{"id": "#)
            #expect(broken.status == .badRequest)
            #expect(broken.headers[.contentType] == "application/problem+json")
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse(), contentType: "text/plain")
                    .status == .unsupportedMediaType)
            let padding = String(repeating: " ", count: 65 * 1024)
            let large = try await client.post("/v1/responses", key: key, json: sipasResponse(extra: padding))
            #expect(large.status == .contentTooLarge)
            #expect(try large.problem().detail == "the request body is larger than 64 KiB")
        }
        #expect(try await env.database.responseCount() == 0)
    }

    @Test("a missing, unknown or revoked key is a 401; revocation is immediate")
    func unauthorized() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            let missing = try await client.post("/v1/responses", key: nil, json: sipasResponse())
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(
                try await client.post("/v1/responses", key: "sipas_dev_wrong", json: sipasResponse()).status
                    == .unauthorized)
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
            // Revoked through a second opening of the file, on purpose: `sipas device revoke` is another process,
            // and the running server must see its change.
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            #expect(try cli.revokeDevice(id: 1, now: TestEnvironment.now))
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .unauthorized)
        }
        #expect(try await env.database.responseCount() == 1)
    }

    @Test("units imported while the server runs are used at once")
    func unitsImportedWhileRunning() async throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        _ = try await env.database.importUnits([
            .init(
                line: 2, code: "87", name: "Tỉnh Đồng Tháp", level: "province", parent: "", validFrom: "2004-01-01",
                validTo: "2025-06-30"),
            .init(
                line: 3, code: "875", name: "Huyện Lấp Vò", level: "district", parent: "87", validFrom: "2004-01-01",
                validTo: "2025-06-30"),
        ])
        let key = try env.deviceKey()
        try await env.withApp { client in
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .unprocessableContent)
            // A second opening of the file, on purpose: `sipas units import` is another process.
            let cli = try SQLiteDatabase(path: env.configuration.databasePath)
            _ = try await cli.importUnits(
                UnitsFile.rows(path: TestEnvironment.repository.appendingPathComponent("Deploy/sample/units.csv").path))
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
        }
    }

    @Test("nothing that identifies a respondent is stored: the response columns are exactly these")
    func anonymous() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let columns = try await env.database.writer.read { db in
            try Row.fetchAll(db, sql: "PRAGMA table_info(response)").map { $0["name"] as String }
        }
        #expect(
            Set(columns) == [
                "seq", "id", "survey", "surveyVersion", "unitId", "unit", "deviceId", "desk", "procedure", "dossier",
                "channel",
                "submittedAt", "submittedDate", "receivedAt", "comment", "respondent", "contentHash", "commentSalt",
                "commentDigest", "chainHash",
            ])
    }
}
