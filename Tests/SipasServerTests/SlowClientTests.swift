import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import SipasServer

/// Clients that never finish a request, or send it very slowly, over a real socket.
@Suite("Slow clients")
struct SlowClientTests {
    @Test("a client that stops in the middle of its request headers is disconnected after the idle timeout")
    func silentClient() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        var configuration = env.configuration
        configuration.idleTimeout = .seconds(1)
        let app = try await buildApplication(configuration, database: env.database)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            let reply = try await RawSocket.exchange(
                port: port, sending: ["POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Le"])
            #expect(reply == "", "closed without an answer")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a body that trickles in slower than the body timeout is answered 408")
    func tricklingBody() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        var configuration = env.configuration
        configuration.bodyTimeout = .seconds(1)
        let app = try await buildApplication(configuration, database: env.database)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = sipasResponse()
            let head =
                "POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            // Two bytes every 300 ms: never idle for long, but far too slow.
            let pieces = [head] + stride(from: 0, to: 20, by: 2).map { String(Array(body)[$0..<$0 + 2]) }
            let reply = try await RawSocket.exchange(port: port, sending: pieces, pause: .milliseconds(300))
            #expect(reply.hasPrefix("HTTP/1.1 408"), "\(reply)")
            #expect(reply.contains("did not arrive within 1 s"))
        }
        #expect(try await env.database.responseCount() == 0)
    }
}

extension SlowClientTests {
    @Test("a chunked body (no Content-Length to check first) over the limit is a 413 naming the limit")
    func chunkedTooLarge() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let app = try await buildApplication(env.configuration, database: env.database)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let chunk = String(repeating: " ", count: 16 * 1024)
            let head =
                "POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            let chunks =
                Array(repeating: "\(String(chunk.utf8.count, radix: 16))\r\n\(chunk)\r\n", count: 5) + ["0\r\n\r\n"]
            let reply = try await RawSocket.exchange(port: port, sending: [head] + chunks)
            #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply.prefix(200))")
            #expect(reply.contains("the request body is larger than 64 KiB"))
        }
    }
}

/// A plain TCP client: sends pieces with pauses, then reads until the server closes or 10 s pass.
enum RawSocket {
    struct Failure: Error { let message: String }

    /// Runs the blocking socket calls on a thread of their own: blocking one of the few threads that run
    /// Swift tasks would stall the server under test, which runs in this same process.
    static func exchange(port: Int, sending pieces: [String], pause: Duration = .zero) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, sending: pieces, pause: pause) })
            }
        }
    }

    private static func blockingExchange(port: Int, sending pieces: [String], pause: Duration) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(message: "socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(message: "connect") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // A server that stops reading (after answering early) must not block the test in send().
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for piece in pieces {
            _ = piece.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            if pause > .zero {
                usleep(UInt32(pause.components.attoseconds / 1_000_000_000_000 + pause.components.seconds * 1_000_000))
            }
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            // One answer is enough; the connection may stay open after it.
            if let text = String(bytes: received, encoding: .utf8), text.contains("\r\n\r\n"), text.contains("}") {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
