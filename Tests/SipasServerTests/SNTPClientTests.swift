import Foundation
import Glibc
import Testing

@testable import SipasServer

@Suite("The clock check's SNTP client, against a local responder")
struct SNTPClientTests {
    /// A UDP socket on 127.0.0.1 that answers one SNTP request with a clock `skew` seconds off the real one, or
    /// never answers.
    struct Responder {
        let descriptor: Int32
        let port: UInt16

        init(skew: TimeInterval?) throws {
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
                }
            }
            guard bound else { throw SNTPClient.Failure(description: "the test responder cannot bind") }
            self.descriptor = descriptor
            port = UInt16(bigEndian: address.sin_port)
            guard let skew else { return }
            // Bounded, so a thread whose client never asked does not wait forever.
            var wait = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread {
                var request = [UInt8](repeating: 0, count: 48)
                var client = sockaddr_storage()
                var clientLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &client) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(descriptor, &request, 48, 0, $0, &clientLength)
                    }
                }
                guard count == 48 else { return }
                let received = SNTPClient.bytes(SNTPClient.timestamp(Date().addingTimeInterval(skew)))
                var reply = [UInt8](repeating: 0, count: 48)
                reply[0] = 0x24  // version 4, mode 4 (server)
                reply[1] = 2  // stratum 2
                reply.replaceSubrange(24..<32, with: request[40..<48])  // originate: the client's transmit time
                reply.replaceSubrange(32..<40, with: received)
                reply.replaceSubrange(
                    40..<48, with: SNTPClient.bytes(SNTPClient.timestamp(Date().addingTimeInterval(skew))))
                _ = withUnsafePointer(to: &client) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, reply, 48, 0, $0, clientLength)
                    }
                }
            }
        }

        func close() { _ = Glibc.close(descriptor) }
    }

    @Test(
        "the offset is the responder's skew; more than 2 s is an ACTION",
        arguments: [Named("in step", 0.0), Named("5 s behind", 5.0), Named("3.5 s ahead", -3.5)])
    func offset(_ example: Named<TimeInterval>) throws {
        let skew = example.value
        let responder = try Responder(skew: skew)
        defer { responder.close() }
        let client = SNTPClient(host: "127.0.0.1", port: responder.port, timeout: 2)
        let offset = try client.offset()
        #expect(abs(offset - skew) < 0.25, "offset \(offset) for a skew of \(skew)")
        let check = DeploymentDoctor.clock(offset: offset, source: client.name)
        #expect(check.status == (abs(skew) > 2 ? .action : .ok), "\(check)")
        if skew == 5 { #expect(check.summary.contains(" s behind 127.0.0.1:\(responder.port)")) }
    }

    @Test("a server that never answers fails after the timeout, and the clock check is skipped")
    func silentServer() throws {
        let silent = try Responder(skew: nil)
        defer { silent.close() }
        let client = SNTPClient(host: "127.0.0.1", port: silent.port, timeout: 0.2)
        let started = Date()
        #expect(throws: SNTPClient.Failure.self) { try client.offset() }
        #expect(Date().timeIntervalSince(started) < 1.5)
        var configuration = AppConfiguration()
        configuration.dataDirectory = "/nonexistent"
        let check = DeploymentDoctor(configuration: configuration, ntp: client).clockCheck()
        #expect(
            check.status == .skipped
                && check.summary.hasPrefix("no NTP source reachable (127.0.0.1:\(silent.port): no answer within 0.2 s)")
        )
    }

    @Test("a closed port fails at once")
    func closedPort() throws {
        let closed = try Responder(skew: nil)
        closed.close()
        #expect(throws: SNTPClient.Failure.self) {
            try SNTPClient(host: "127.0.0.1", port: closed.port, timeout: 1).offset()
        }
    }

    @Test(
        "--ntp-server: host, host:port, [v6]:port, a bare IPv6 address",
        arguments: [
            ("pool.ntp.org", "pool.ntp.org", 123), ("10.0.0.1:1123", "10.0.0.1", 1123), ("[::1]:99", "::1", 99),
            ("fe80::1", "fe80::1", 123),
        ].map { Named($0.0, $0) })
    func server(_ example: Named<(String, String, Int)>) throws {
        let (text, host, port) = example.value
        let client = try #require(SNTPClient(server: text))
        #expect(client.host == host && Int(client.port) == port)
        #expect(SNTPClient(server: "pool.ntp.org:ntp") == nil && SNTPClient(server: "") == nil)
    }

    @Test(
        "NTP timestamps round-trip, across the 2036 wrap too",
        arguments: [
            Named("now", "2026-11-30T20:00:00Z"), Named("at the 2036 wrap", "2036-02-07T06:28:20Z"),
            Named("after the wrap", "2040-01-01T00:00:00Z"),
        ])
    func timestamps(_ example: Named<String>) throws {
        let date = try #require(ISO8601DateFormatter().date(from: example.value)).addingTimeInterval(0.25)
        let back = SNTPClient.date(SNTPClient.timestamp(date), near: date.addingTimeInterval(30))
        #expect(abs(back.timeIntervalSince(date)) < 0.000_001)
    }
}
