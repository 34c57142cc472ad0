import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("POST /v1/responses/batch")
struct BatchAPITests {
    @Test("each element is judged on its own, answered in order")
    func mixed() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let stored = UUID().uuidString.lowercased()
        let fresh = UUID().uuidString.lowercased()
        try await env.withApp { client in
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse(id: stored)).status == .created)
            let batch = """
                {"responses": [
                    \(sipasResponse(id: fresh)),
                    \(sipasResponse(id: stored)),
                    \(sipasResponse(id: stored, answers: #"{"a1":2}"#)),
                    {"id": 17, "survey": "sipas"},
                    \(sipasResponse(answers: #"{"a1":9}"#)),
                    \(sipasResponse(id: fresh))
                ]}
                """
            let response = try await client.post("/v1/responses/batch", key: key, json: batch)
            #expect(response.status == .ok)
            let reply = try response.decode(ResponsesController.BatchReply.self)
            let results = reply.results
            #expect(results.map(\.status) == ["created", "replayed", "conflict", "invalid", "invalid", "replayed"])
            #expect(results.map(\.index) == [0, 1, 2, 3, 4, 5])
            #expect(results[0].id == fresh)
            #expect(results[3].errors?.first?.field == "id")
            #expect(results[4].errors?.first?.field == "answers.a1")
            #expect(results[5].receivedAt != nil && results[5].receivedAt == results[0].receivedAt)
            #expect(reply.created == 1 && reply.replayed == 2 && reply.conflict == 1 && reply.invalid == 2)
        }
        #expect(try await env.database.responseCount() == 2)
    }

    @Test("a batch of 500 is accepted; 501 or none is refused whole")
    func limits() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        @Sendable func batch(_ count: Int) -> String {
            #"{"responses":["# + (0..<count).map { _ in sipasResponse() }.joined(separator: ",") + "]}"
        }
        try await env.withApp { client in
            let full = try await client.post("/v1/responses/batch", key: key, json: batch(500))
            #expect(full.status == .ok)
            #expect(try full.decode(ResponsesController.BatchReply.self).created == 500)
            let over = try await client.post("/v1/responses/batch", key: key, json: batch(501))
            #expect(over.status == .unprocessableContent)
            #expect(
                try await client.post("/v1/responses/batch", key: key, json: batch(0)).status == .unprocessableContent)
            let padding = String(repeating: " ", count: 4 * 1024 * 1024)
            #expect(
                try await client.post("/v1/responses/batch", key: key, json: #"{"responses":[]"# + padding + "}").status
                    == .contentTooLarge)
            #expect(try await client.post("/v1/responses/batch", key: nil, json: batch(1)).status == .unauthorized)
        }
        #expect(try await env.database.responseCount() == 500)
    }
}
