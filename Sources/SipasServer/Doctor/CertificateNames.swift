import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The names a server certificate is valid for: its subjectAltNames (DNS names and IP addresses). Clients
/// match the address they connect to against these alone; the subject's common name is ignored (RFC 6125).
struct CertificateNames: Sendable, Hashable {
    /// DNS names, lower-cased, without a trailing dot; `*.example.vn` covers one label.
    let dnsNames: [String]
    /// IP addresses, 4 bytes (IPv4) or 16 (IPv6).
    let addresses: [[UInt8]]

    init(dnsNames: [String], addresses: [[UInt8]]) {
        self.dnsNames = dnsNames.map(Self.normalized)
        self.addresses = addresses
    }

    /// The names of `certificate`; none when it has no subjectAltName extension.
    init(_ certificate: Certificate) throws {
        var dnsNames: [String] = []
        var addresses: [[UInt8]] = []
        for name in try certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames() {
            switch name {
            case .dnsName(let dns): dnsNames.append(dns)
            case .ipAddress(let octets): addresses.append(Array(octets.bytes))
            default: continue
            }
        }
        self.init(dnsNames: dnsNames, addresses: addresses)
    }

    var isEmpty: Bool { dnsNames.isEmpty && addresses.isEmpty }

    /// The names as an operator reads them: DNS names, then addresses.
    var shown: [String] { dnsNames + addresses.map(Self.format) }

    /// Whether a client connecting to `host` (a DNS name, an IPv4 address, or an IPv6 one with or without brackets)
    /// accepts the certificate's names.
    func covers(host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let address = Self.address(bare) { return addresses.contains(address) }
        let wanted = Self.normalized(bare)
        return dnsNames.contains { name in
            guard name.hasPrefix("*.") else { return name == wanted }
            // A wildcard stands for exactly one whole label: *.lapvo.vn covers khaosat.lapvo.vn, not lapvo.vn
            // nor a.b.lapvo.vn.
            guard let dot = wanted.firstIndex(of: "."), dot != wanted.startIndex else { return false }
            return wanted[dot...] == name.dropFirst()
        }
    }

    /// The bytes of an IPv4 or IPv6 address, or nil for a name.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// `192.168.1.10`, `::1`.
    static func format(_ address: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = address.count == 4 ? AF_INET : AF_INET6
        guard address.count == 4 || address.count == 16, inet_ntop(family, address, &text, socklen_t(text.count)) != nil
        else {
            return address.map(String.init).joined(separator: ".")
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// DNS names compare without case and without the root's trailing dot.
    private static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }
}
