import Foundation
import SwiftASN1
import X509

/// The server certificate the office authority issued, as kept in the data directory: `tls-cert.pem` (the
/// certificate, then the authority's) and its key `tls-key.pem` (mode 0600).
public struct ServerCertificate: Sendable {
    /// The certificate chain in the data directory.
    public static let certificateFile = "tls-cert.pem"
    /// Its private key.
    public static let keyFile = "tls-key.pem"
    /// 397 days, the longest validity Apple's devices and the browsers accept for a server certificate.
    static let lifetime: TimeInterval = 397 * 24 * 3600
    /// A certificate this close to its end is replaced, so no tablet ever meets an expired one.
    static let renewalMargin: TimeInterval = 30 * 24 * 3600

    /// The server's own certificate (the first of the chain).
    let certificate: Certificate
    /// The certificates after it.
    let issuers: [Certificate]
    /// The files' text, as served.
    let material: TLSMaterial
    /// Whether `tls-key.pem` holds the certificate's key (not, after a copy stopped half-way).
    let keyMatches: Bool

    /// The DNS names and addresses the certificate is valid for.
    public var names: [CertificateName] {
        ((try? certificate.extensions.subjectAlternativeNames) ?? nil)?.compactMap(CertificateName.init) ?? []
    }

    /// When it stops being valid.
    public var notValidAfter: Date { certificate.notValidAfter }

    /// The certificate and key in `dataDirectory`, or nil when either is missing or is no PEM certificate or key.
    public static func read(from dataDirectory: String) -> ServerCertificate? {
        func text(_ file: String) -> String? {
            FileManager.default.contents(atPath: (dataDirectory as NSString).appendingPathComponent(file))
                .map { String(decoding: $0, as: UTF8.self) }
        }
        guard let chainPEM = text(certificateFile), let keyPEM = text(keyFile),
            let chain = try? PEMDocument.parseMultiple(pemString: chainPEM).map(Certificate.init(pemDocument:)),
            let certificate = chain.first, let key = try? Certificate.PrivateKey(pemEncoded: keyPEM)
        else { return nil }
        return ServerCertificate(
            certificate: certificate, issuers: Array(chain.dropFirst()),
            material: TLSMaterial(certificatePEM: chainPEM, privateKeyPEM: keyPEM),
            keyMatches: key.publicKey == certificate.publicKey)
    }

    /// Whether it may go on being served: issued by `authority` and followed by it in the file, with its own key,
    /// for exactly `names`, and valid now and for the next 30 days. The self-signed certificate of earlier
    /// releases is not, so an upgrade replaces it.
    func serves(_ names: [CertificateName], for authority: OfficeAuthority, now: Date) -> Bool {
        keyMatches && authority.issued(certificate) && issuers == [authority.certificate]
            && Set(self.names) == Set(names)
            && certificate.notValidBefore <= now
            && now.addingTimeInterval(Self.renewalMargin) < certificate.notValidAfter
    }
}
