import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name a server certificate is valid for: a DNS name or an IP address (v4 or v6), as a subject alternative
/// name. Held in one normal form (DNS names in lower case, addresses as their bytes), so two spellings of one
/// name compare equal and a certificate is reissued only when its names really change.
public enum CertificateName: Hashable, Sendable, CustomStringConvertible {
    case dns(String)
    case ipAddress([UInt8])

    /// `text` as a DNS name or an IP address, or nil when it is neither.
    public init?(_ text: String) {
        if let bytes = Self.address(text) {
            self = .ipAddress(bytes)
            return
        }
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }  // the absolute form names the same host
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let letters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard name.utf8.count <= 253,
            labels.allSatisfy({
                (1...63).contains($0.count) && $0.allSatisfy(letters.contains) && $0.first != "-" && $0.last != "-"
            }),
            // An all-digit last label is an address with a typo (192.168.1.300), not a name.
            let last = labels.last, !last.allSatisfy(\.isNumber)
        else { return nil }
        self = .dns(name)
    }

    /// The name from a certificate's subject alternative name; nil for other kinds (e-mail, URI).
    init?(_ name: GeneralName) {
        switch name {
        case .dnsName(let text): self = .dns(text.lowercased())
        case .ipAddress(let octets): self = .ipAddress(Array(octets.bytes))
        default: return nil
        }
    }

    /// What an operator is told when a name is refused.
    static func problem(_ text: String) -> String {
        "'\(text)' is neither a DNS name (letters a-z, digits and hyphens; an accented name in its xn-- form) nor an IP address"
    }

    /// As a subject alternative name.
    var generalName: GeneralName {
        switch self {
        case .dns(let name): .dnsName(name)
        case .ipAddress(let bytes): .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
        }
    }

    /// The name as written: `office.lan`, `192.168.1.10`, `fd00::10`.
    public var description: String {
        switch self {
        case .dns(let name):
            return name
        case .ipAddress(let bytes):
            let family = bytes.count == 4 ? AF_INET : AF_INET6
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard bytes.count == 4 || bytes.count == 16, inet_ntop(family, bytes, &text, socklen_t(text.count)) != nil
            else {
                return bytes.map(String.init).joined(separator: ".")
            }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The bytes of an IPv4 or IPv6 address in its usual text form, or nil.
    private static func address(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }

    /// `localhost`, `127.0.0.1` and `::1`: always on the server certificate, so the operator's own `curl` on the
    /// server works whatever names the tablets use.
    static let loopback: [CertificateName] = [
        .dns("localhost"), .ipAddress([127, 0, 0, 1]), .ipAddress([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ]
}
