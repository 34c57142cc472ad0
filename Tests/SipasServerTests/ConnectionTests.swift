import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SipasServer

/// The HTTP/1 connection over a real socket, as curl and old clients use it: `Expect: 100-continue`, connections
/// that end after one request, HEAD on a kept-alive connection.
@Suite("Connections: 100 Continue, closing, HEAD on the wire")
struct ConnectionTests {
    /// Runs `body` with the port of the real app, over TLS with the office authority's certificate or in the clear.
    static func withServer(_ env: TestEnvironment, tls: Bool, _ body: @Sendable (Int) async throws -> Void) async throws
    {
        var configuration = env.configuration
        configuration.tls = tls ? .officeAuthority : .insecureHTTP
        let app = try await buildApplication(configuration, database: env.database)
        try await app.test(tls ? .ahc(.https) : .live) { client in try await body(try #require(client.port)) }
    }

    static func batch(_ count: Int) -> String {
        #"{"responses":[\#((0..<count).map { _ in sipasResponse() }.joined(separator: ","))]}"#
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent, then the batch is stored on that connection")
    func expectContinue() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await Self.withServer(env, tls: true) { port in
            let connection = try await RawConnection.connect(port: port, tls: true)
            let body = Self.batch(200)
            try await connection.send(
                "POST /v1/responses/batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n"
            )
            #expect(try await connection.wait { $0.text.contains("\r\n\r\n") })
            #expect(connection.received.text == "HTTP/1.1 100 Continue\r\n\r\n")

            try await connection.send(body)
            #expect(try await connection.wait { RawConnection.responses(in: $0.text).count == 2 })
            let final = try #require(RawConnection.responses(in: connection.received.text).last)
            #expect(final.head.hasPrefix("HTTP/1.1 200"), "\(final.head)")
            #expect(final.body.contains(#""created":200"#))
            #expect(!final.head.lowercased().contains("connection: close"))

            // The connection is still open for the next request.
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await connection.wait { RawConnection.responses(in: $0.text).count == 3 })
            #expect(!connection.received.closed)
            await connection.close()
        }
        #expect(try await env.database.responseCount() == 200)
    }

    @Test(
        "a request refused before its body is read gets its final status at once, without 100, and the connection closes"
    )
    func expectContinueRefused() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await Self.withServer(env, tls: true) { port in
            // An unknown key (401), and a Content-Length over the batch limit of 4 MiB (413).
            for (authorization, length, status) in [
                ("Bearer sipas_dev_unknown", 1_400_000, "401"), ("Bearer \(key)", 5_000_000, "413"),
            ] {
                let connection = try await RawConnection.connect(port: port, tls: true)
                try await connection.send(
                    "POST /v1/responses/batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(authorization)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(length)\r\nExpect: 100-continue\r\n\r\n")
                #expect(try await connection.wait { RawConnection.responses(in: $0.text).count == 1 })
                let answer = try #require(RawConnection.responses(in: connection.received.text).first)
                #expect(answer.head.hasPrefix("HTTP/1.1 \(status)"), "\(answer.head)")
                #expect(answer.head.lowercased().contains("connection: close"))
                #expect(
                    try await connection.wait { $0.closed },
                    "closed rather than reading the unsent body")
                await connection.close()
            }
        }
        #expect(try await env.database.responseCount() == 0)
    }

    @Test(
        "a request that does not keep the connection alive is answered, then the server closes the connection",
        arguments: [
            Named("HTTP/1.0 over TLS", (true, "GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")),
            Named("HTTP/1.0 in the clear, no Host", (false, "GET /healthz HTTP/1.0\r\n\r\n")),
            Named(
                "HTTP/1.1 with Connection: close",
                (true, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")),
            Named(
                "HTTP/1.1 with Connection: Close, capitalised",
                (true, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: Close\r\n\r\n")),
        ] as [Named<(Bool, String)>])
    func closesAfterResponse(_ example: Named<(Bool, String)>) async throws {
        let (tls, request) = example.value
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.withServer(env, tls: tls) { port in
            let connection = try await RawConnection.connect(port: port, tls: tls)
            try await connection.send(request)
            // Generous: the point is that it closes well before the 30 s idle timeout, not how fast.
            #expect(try await connection.wait { $0.closed }, "closed after the response")
            let answers = RawConnection.responses(in: connection.received.text)
            #expect(answers.count == 1)
            #expect(answers.first?.head.hasPrefix("HTTP/1.1 200") == true)
            #expect(answers.first?.head.lowercased().contains("connection: close") == true)
            #expect(answers.first?.body == #"{"status":"ok"}"#)
            await connection.close()
        }
    }

    @Test("a streamed export: unchunked to an HTTP/1.0 client, ending with the connection; HEAD announces no length")
    func streamedToHTTP10() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let admin = try env.token(.admin, unit: nil)
        try await Self.withServer(env, tls: true) { port in
            for _ in 0..<2 {
                let body = Self.batch(20)
                let connection = try await RawConnection.connect(port: port, tls: true)
                try await connection.send(
                    "POST /v1/responses/batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                )
                #expect(try await connection.wait { $0.closed })
                await connection.close()
            }
            // HEAD of the streamed export announces no length, as its GET (not Content-Length: 0).
            let head = try await RawConnection.connect(port: port, tls: true)
            try await head.send(
                "HEAD /v1/export/responses.csv?unit=875&year=2024 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(admin)\r\n"
                    + "Connection: close\r\n\r\n")
            #expect(try await head.wait { $0.closed })
            #expect(head.received.text.hasPrefix("HTTP/1.1 200"), "\(head.received.text)")
            #expect(!head.received.text.lowercased().contains("content-length"), "\(head.received.text)")
            #expect(head.received.text.hasSuffix("\r\n\r\n"), "no body after the head")
            await head.close()
            for keepAlive in [false, true] {
                let connection = try await RawConnection.connect(port: port, tls: true)
                try await connection.send(
                    "GET /v1/export/responses.csv?unit=875&year=2024 HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer \(admin)\r\n"
                        + (keepAlive ? "Connection: keep-alive\r\n" : "") + "\r\n")
                #expect(
                    try await connection.wait { $0.closed },
                    "the end of the body is the end of the connection")
                let text = connection.received.text
                let head = String(text[..<(text.range(of: "\r\n\r\n")?.lowerBound ?? text.endIndex)])
                #expect(head.hasPrefix("HTTP/1.0 200"), "\(head)")
                #expect(!head.lowercased().contains("transfer-encoding"))
                #expect(head.lowercased().contains("connection: close"))
                // The header line and the 40 rows, unchunked.
                // CSV lines end in CRLF, which Swift reads as one Character: split on the scalars.
                let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
                let rows = body.unicodeScalars.split(separator: "\n").filter { !$0.isEmpty }
                #expect(rows.count == 41, "\(rows.count) lines")
                await connection.close()
            }
        }
    }

    @Test("HTTP/1.0 with keep-alive keeps the connection; HEAD has GET's Content-Length and no body on the wire")
    func keepAliveAndHead() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await Self.withServer(env, tls: true) { port in
            let connection = try await RawConnection.connect(port: port, tls: true)
            try await connection.send("HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await connection.wait { $0.text.contains("\r\n\r\n") })
            let head = connection.received.text
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("content-length: \(#"{"status":"ok"}"#.utf8.count)\r\n"))
            #expect(head.hasSuffix("\r\n\r\n"), "nothing after the head")

            try await connection.send("GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
            try await connection.send(
                "POST /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")
            #expect(try await connection.wait { RawConnection.responses(in: $0.text, toHead: [true]).count == 3 })
            let answers = RawConnection.responses(in: connection.received.text, toHead: [true])
            #expect(answers[1].head.hasPrefix("HTTP/1.1 200") && answers[1].body == #"{"status":"ok"}"#)
            #expect(answers[1].head.lowercased().contains("connection: keep-alive"))
            #expect(
                answers[2].head.hasPrefix("HTTP/1.1 405") && answers[2].head.contains("Allow: GET, HEAD"),
                "\(answers[2].head)")
            #expect(!connection.received.closed)
            await connection.close()
        }
    }
}
