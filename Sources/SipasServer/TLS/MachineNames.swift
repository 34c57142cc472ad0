import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The names tablets may use to reach this machine when the operator names none: its host name (and fully
/// qualified name), and the addresses of its network interfaces.
enum MachineNames {
    /// The host name and, when it differs, the fully qualified name. The latter asks the resolver, which may
    /// wait on an unreachable DNS server: read once at start-up, not at every certificate check.
    static func hostNames() -> [CertificateName] {
        guard let host = hostName() else { return [] }
        var names = [host]
        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        if getaddrinfo(host, nil, &hints, &result) == 0, let result {
            if let canonical = result.pointee.ai_canonname { names.append(String(cString: canonical)) }
            freeaddrinfo(result)
        }
        // A host name that is no valid DNS name (an underscore) cannot be on a certificate; the addresses still are.
        return unique(names.compactMap(CertificateName.init))
    }

    /// The host name as the system has it (`gethostname`).
    static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The addresses of the interfaces that are up, except loopback and IPv6 link-local ones (fe80::, which
    /// need an interface name to be reached and cannot be on a certificate meaningfully).
    static func addresses() -> [CertificateName] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var names: [CertificateName] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, flags & Int(IFF_UP) != 0, flags & Int(IFF_LOOPBACK) == 0 else {
                continue
            }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
                }
                names.append(.ipAddress(bytes))
            case AF_INET6:
                let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
                }
                if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { continue }  // fe80::/10
                names.append(.ipAddress(bytes))
            default:
                continue
            }
        }
        return unique(names)
    }

    /// The names in their first order, each once.
    static func unique(_ names: [CertificateName]) -> [CertificateName] {
        var seen = Set<CertificateName>()
        return names.filter { seen.insert($0).inserted }
    }
}
