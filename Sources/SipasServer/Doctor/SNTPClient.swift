import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal SNTP client (RFC 4330): one request over UDP, one answer, the clock offset from it. Enough to tell
/// an operator the server's clock is off; keeping it right is systemd-timesyncd's work.
public struct SNTPClient: Sendable {
    /// Why no offset could be measured.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// A name or an address (IPv6 without brackets).
    public let host: String
    /// UDP port; 123 for NTP.
    public let port: UInt16
    /// How long to wait for the answer, in seconds.
    public let timeout: TimeInterval

    /// Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01 (the Unix epoch).
    static let epochOffset: TimeInterval = 2_208_988_800
    /// An NTP timestamp's seconds wrap every 2^32 s (in 2036 first).
    static let era: TimeInterval = 4_294_967_296

    public init(host: String, port: UInt16 = 123, timeout: TimeInterval = 2) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    /// From `host`, `host:port`, `[v6]:port` or a bare IPv6 address; nil when the port is not a port.
    public init?(server: String, timeout: TimeInterval = 2) {
        if server.hasPrefix("["), let close = server.firstIndex(of: "]") {
            let rest = server[server.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            guard let port = rest.isEmpty ? 123 : UInt16(rest.dropFirst()) else { return nil }
            self.init(
                host: String(server[server.index(after: server.startIndex)..<close]), port: port, timeout: timeout)
        } else if server.filter({ $0 == ":" }).count == 1, let colon = server.firstIndex(of: ":") {
            guard let port = UInt16(server[server.index(after: colon)...]) else { return nil }
            self.init(host: String(server[..<colon]), port: port, timeout: timeout)
        } else {
            guard !server.isEmpty else { return nil }
            self.init(host: server, port: 123, timeout: timeout)
        }
    }

    /// `pool.ntp.org`, or `host:port` when the port is not NTP's.
    public var name: String {
        port == 123 ? host : (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    /// The local clock's offset from the server's, in seconds: positive when the local clock is behind.
    /// With t1 the request sent, t2 its receipt at the server, t3 the answer sent, t4 its receipt (RFC 4330 §5),
    /// offset = ((t2 − t1) + (t3 − t4)) / 2, which cancels a symmetric network delay.
    /// - Throws: ``Failure`` when the name does not resolve, nothing answers within ``timeout``, or the answer is
    ///   not a usable server reply.
    public func offset() throws -> TimeInterval {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
            hints.ai_socktype = SOCK_DGRAM
        #endif
        var addresses: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &addresses)
        guard resolved == 0, let address = addresses else {
            throw Failure(description: "\(name): name not resolved (\(String(cString: gai_strerror(resolved))))")
        }
        defer { freeaddrinfo(addresses) }
        let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard descriptor >= 0 else { throw failure("cannot open a UDP socket") }
        defer { close(descriptor) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        // Connected, so the kernel drops datagrams from anyone else and reports a closed port at once.
        guard connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw failure("cannot reach")
        }

        var request = [UInt8](repeating: 0, count: 48)
        request[0] = 0x23  // leap indicator 0, version 4, mode 3 (client)
        let sent = Date()
        let transmit = Self.timestamp(sent)
        request.replaceSubrange(40..<48, with: Self.bytes(transmit))
        guard send(descriptor, request, request.count, 0) == request.count else {
            throw failure("cannot send the request")
        }

        var answer = [UInt8](repeating: 0, count: 128)
        while true {
            let count = recv(descriptor, &answer, answer.count, 0)
            let received = Date()
            let error = errno
            guard count >= 0 else {
                if error == EAGAIN || error == EWOULDBLOCK || error == EINTR {
                    throw Failure(description: "\(name): no answer within \(timeout.formatted()) s")
                }
                throw Failure(description: "\(name): no answer (\(String(cString: strerror(error))))")
            }
            // The server copies our transmit time into its originate field; an answer without it is a stray or
            // a forgery, and the next datagram may still be ours.
            guard count >= 48, Array(answer[24..<32]) == Self.bytes(transmit) else {
                guard received.timeIntervalSince(sent) < timeout else {
                    throw Failure(description: "\(name): no valid answer within \(timeout.formatted()) s")
                }
                continue
            }
            let mode = answer[0] & 0x07, stratum = answer[1]
            // Stratum 0 is a "kiss-o'-death" (the server asks us to go away), not a time.
            guard mode == 4, (1...15).contains(stratum), Self.value(answer, at: 40) != 0 else {
                throw Failure(
                    description: "\(name): the answer is not a usable time (mode \(mode), stratum \(stratum))")
            }
            let t2 = Self.date(Self.value(answer, at: 32), near: sent)
            let t3 = Self.date(Self.value(answer, at: 40), near: sent)
            return (t2.timeIntervalSince(sent) + t3.timeIntervalSince(received)) / 2
        }
    }

    /// A failure naming the server and the system's reason.
    private func failure(_ what: String) -> Failure {
        Failure(description: "\(name): \(what) (\(String(cString: strerror(errno))))")
    }

    // MARK: - NTP timestamps (seconds since 1900 in the high 32 bits, the fraction in the low 32)

    /// `date` as an NTP timestamp.
    static func timestamp(_ date: Date) -> UInt64 {
        let seconds = date.timeIntervalSince1970 + epochOffset
        let whole = seconds.rounded(.down)
        let fraction = UInt64((seconds - whole) * era) & 0xFFFF_FFFF
        return (UInt64(whole.truncatingRemainder(dividingBy: era)) << 32) | fraction
    }

    /// The date of an NTP timestamp, in the 2^32-second era closest to `reference` (a server's answer is near
    /// our own time, whichever side of 2036 it is).
    static func date(_ timestamp: UInt64, near reference: Date) -> Date {
        let seconds = TimeInterval(timestamp >> 32) + TimeInterval(timestamp & 0xFFFF_FFFF) / era
        let eras = ((reference.timeIntervalSince1970 + epochOffset - seconds) / era).rounded()
        return Date(timeIntervalSince1970: seconds + eras * era - epochOffset)
    }

    /// Big-endian bytes, as on the wire.
    static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// The big-endian 64-bit value at `offset`.
    static func value(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
