import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("HEAD, and methods a path does not answer")
struct MethodsTests {
    @Test("HEAD answers as GET without the body: the same status and headers, Content-Length included")
    func head() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { client in
            // A public route, and a route behind a token (asked without one: 401 as for GET).
            for (uri, status) in [
                ("/healthz", HTTPResponse.Status.ok), ("/v1/index?unit=875", .unauthorized), ("/v1/surveys/sipas", .ok),
            ] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(get.status == status && head.status == status, "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
                #expect(get.body.readableBytes > 0, "\(uri)")
                #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                #expect(head.headers[.wwwAuthenticate] == get.headers[.wwwAuthenticate], "\(uri)")
            }
        }
    }

    @Test("a known path with another method is 405 naming the methods in Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { client in
            let post = try await client.execute(uri: "/healthz", method: .post)
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD")
            #expect(post.headers[.contentType] == "application/problem+json")
            let problem = try post.problem()
            #expect(problem.status == 405)
            #expect(problem.detail == "/healthz does not answer POST; it answers GET, HEAD")

            // A route with a capture, a POST-only route, a path with two methods; HEAD of a POST-only route has no body.
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/v1/surveys/sipas", .delete, "GET, HEAD"),
                ("/v1/responses", .get, "POST"),
                ("/v1/responses", .head, "POST"),
                ("/s/sipas", .put, "GET, HEAD, POST"),
                ("/healthz", .options, "GET, HEAD"),
            ]
            for (uri, method, allow) in cases {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                #expect((response.body.readableBytes == 0) == (method == .head), "\(method) \(uri)")
            }

            for method: HTTPRequest.Method in [.get, .post, .head] {
                let unknown = try await client.execute(uri: "/v1/nothing-here", method: method)
                #expect(unknown.status == .notFound, "\(method)")
                #expect(unknown.headers[.allow] == nil)
                #expect((unknown.body.readableBytes == 0) == (method == .head), "\(method)")
            }
        }
    }
}
