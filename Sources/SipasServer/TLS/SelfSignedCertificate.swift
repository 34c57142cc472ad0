import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed certificate for `localhost`, made in code (no openssl at run time), so `sipas serve`
/// speaks HTTPS with no setup. A real deployment passes its own certificate with `--tls-cert`/`--tls-key`.
struct SelfSignedCertificate: Sendable {
    let certificatePEM: String
    let privateKeyPEM: String

    /// How long a made certificate is valid; it is remade when it nears expiry.
    static let lifetime: TimeInterval = 397 * 24 * 3600

    /// A new P-256 key and a certificate for localhost, 127.0.0.1 and ::1.
    static func make(now: Date = Date()) throws -> SelfSignedCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("localhost")
            OrganizationName("sipas (self-signed)")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            // keyCertSign lets TLS libraries recognise the certificate as self-signed, so a client that
            // trusts this one certificate (curl --cacert, or a kiosk pinning it) can verify it.
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ])
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(lifetime),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: .init(key))
        return SelfSignedCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString,
            privateKeyPEM: key.pemRepresentation)
    }

    /// When the PEM certificate stops being valid, if it can be read.
    static func expiry(ofPEM pem: String) -> Date? {
        (try? Certificate(pemEncoded: pem))?.notValidAfter
    }
}
