import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("GET /v1/integrity")
struct IntegrityAPITests {
    @Test("count and head change with each new response, and are the same for an official and an admin")
    func headMoves() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey()
        let official = try env.token(.official, unit: "30172")
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            func integrity(_ token: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/integrity", method: .get, headers: [.authorization: "Bearer \(token)"])
            }
            let empty = try await integrity(admin).decode(IntegrityController.Head.self)
            #expect(empty.count == 0)
            #expect(empty.head == String(repeating: "0", count: 64))
            #expect(empty.asOf == "2024-11-29T10:00:00+07:00")

            var heads: [String] = []
            for expected in 1...2 {
                #expect(try await client.post("/v1/responses", key: device, json: sipasResponse()).status == .created)
                let byOfficial = try await integrity(official)
                let byAdmin = try await integrity(admin)
                #expect(byOfficial.status == .ok)
                #expect(byOfficial.text == byAdmin.text)
                let body = try byAdmin.decode(IntegrityController.Head.self)
                #expect(body.count == expected)
                heads.append(body.head)
            }
            #expect(Set(heads + [String(repeating: "0", count: 64)]).count == 3)
            #expect(heads.allSatisfy { $0.count == 64 })
            #expect(heads.last == (try await env.database.chainHead()).head)

            // A resend is not a new response: nothing moves.
            let resent = sipasResponse()
            #expect(try await client.post("/v1/responses", key: device, json: resent).status == .created)
            let before = try await integrity(admin).text
            #expect(try await client.post("/v1/responses", key: device, json: resent).status == .created)
            #expect(try await integrity(admin).text == before)
        }
    }

    @Test("device keys are refused (403), a missing or unknown token is 401")
    func readersOnly() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let device = try env.deviceKey()
        try await env.withApp { (client: any TestClientProtocol) async throws in
            #expect(try await client.execute(uri: "/v1/integrity", method: .get).status == .unauthorized)
            let unknown = try await client.execute(
                uri: "/v1/integrity", method: .get, headers: [.authorization: "Bearer sipas_tok_nope"])
            #expect(unknown.status == .unauthorized)
            let byDevice = try await client.execute(
                uri: "/v1/integrity", method: .get, headers: [.authorization: "Bearer \(device)"])
            #expect(byDevice.status == .forbidden)
        }
    }
}
