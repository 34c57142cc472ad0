import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every route the router knows is in /openapi.json, and every operation there is a route")
    func routesMatchDocument() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let router = try await buildRouter(env.configuration, database: env.database, logger: .init(label: "test"))
        let routed = Set(
            router.routes.map { route in
                // Hummingbird writes a capture as ":name", OpenAPI as "{name}".
                let path = route.path.description.split(separator: "/", omittingEmptySubsequences: false).map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) \(path.hasPrefix("/") ? path : "/" + path)"
            })

        let data = try Data(contentsOf: TestEnvironment.repository.appendingPathComponent("Web/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        let documented = Set(
            paths.flatMap { path, item in
                item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })

        #expect(routed.subtracting(documented).sorted() == [], "routes missing from the document")
        #expect(documented.subtracting(routed).sorted() == [], "documented operations without a route")
        #expect(routed.count > 20)
    }

    @Test("GET /openapi.json serves the document")
    func served() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            // The document is a file served as it is, not a reply of the API's: read as raw JSON on purpose.
            let served = try response.object()
            #expect(served["openapi"] as? String == "3.1.0")
        }
    }
}
