import Crypto
import Foundation
import Logging
import SipasDomain
import SwiftASN1
import X509

/// The office's own small certificate authority, made on the first start in the data directory
/// (`tls-ca.pem`, its key `tls-ca-key.pem`). Each tablet trusts it once (`/tls` explains how); it then issues the
/// server's certificates for whatever names tablets use, renewed without touching the tablets again. It may
/// sign server certificates only (path length 0), and it is never remade while its files are there: a new
/// authority would mean installing it again on every tablet.
public struct OfficeAuthority: Sendable {
    /// The authority's certificate in the data directory (public, mode 0644).
    public static let certificateFile = "tls-ca.pem"
    /// Its private key (mode 0600).
    public static let keyFile = "tls-ca-key.pem"
    /// About ten years: tablets install it once for the life of the server.
    static let lifetime: TimeInterval = 3650 * 24 * 3600

    let certificate: Certificate
    let key: P256.Signing.PrivateKey
    /// The certificate in PEM, as `tls-ca.pem` holds it.
    public let certificatePEM: String
    /// The certificate in DER, the form Android's and browsers' installers open most easily.
    public let certificateDER: [UInt8]

    /// The SHA-256 fingerprint of the certificate, as Android and browsers show it: `AB:12:…` (32 bytes).
    public var fingerprint: String {
        SHA256.hash(data: certificateDER).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// When the authority stops being valid.
    public var notValidAfter: Date { certificate.notValidAfter }

    init(certificate: Certificate, key: P256.Signing.PrivateKey) throws {
        self.certificate = certificate
        self.key = key
        certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        certificateDER = serializer.serializedBytes
    }

    // MARK: - Files

    /// The authority kept in `dataDirectory`, or nil when none was made there yet. A certificate without its key
    /// (or with a damaged or foreign one) is an error, never a reason to make a new authority the tablets do not
    /// trust.
    public static func load(from dataDirectory: String) throws -> OfficeAuthority? {
        let certificatePath = (dataDirectory as NSString).appendingPathComponent(certificateFile)
        let keyPath = (dataDirectory as NSString).appendingPathComponent(keyFile)
        guard let certificateData = FileManager.default.contents(atPath: certificatePath) else { return nil }
        let remedy =
            "restore \(certificateFile) and \(keyFile) from a backup, or delete both to make a new authority "
            + "(every tablet must then install the new one)"
        guard let certificate = try? Certificate(pemEncoded: String(decoding: certificateData, as: UTF8.self)),
            case .isCertificateAuthority = try? certificate.extensions.basicConstraints
        else { throw OperatorError("\(certificatePath): not the certificate of a certificate authority; \(remedy)") }
        guard let keyData = FileManager.default.contents(atPath: keyPath) else {
            throw OperatorError(
                "\(keyPath): missing, so the office authority in \(certificatePath) cannot issue the server certificate; \(remedy)"
            )
        }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: String(decoding: keyData, as: UTF8.self)),
            Certificate.PublicKey(key.publicKey) == certificate.publicKey
        else { throw OperatorError("\(keyPath): not the private key of \(certificatePath); \(remedy)") }
        do {
            return try OfficeAuthority(certificate: certificate, key: key)
        } catch {
            throw OperatorError("\(certificatePath): cannot be read (\(error)); \(remedy)")
        }
    }

    /// The authority kept in `dataDirectory`, made there if there is none (its key first, readable by its owner
    /// only). An expired one stops the start: replacing it is the operator's decision, as every tablet is
    /// concerned.
    static func prepare(in dataDirectory: String, hostName: String, now: Date, logger: Logger) throws -> OfficeAuthority
    {
        let certificatePath = (dataDirectory as NSString).appendingPathComponent(certificateFile)
        if let authority = try load(from: dataDirectory) {
            guard authority.notValidAfter > now else {
                throw OperatorError(
                    "\(certificatePath): the office authority expired on \(Timestamp.format(authority.notValidAfter)); delete it and "
                        + "\(keyFile) to make a new one, then install the new one on every tablet (see /tls)")
            }
            return authority
        }
        // A key without its certificate is an authority whose certificate was lost (or a start stopped between the
        // two writes below): never overwrite it, as with it the certificate the tablets trust can be restored.
        let keyPath = (dataDirectory as NSString).appendingPathComponent(keyFile)
        if FileManager.default.fileExists(atPath: keyPath) {
            throw OperatorError(
                "\(keyPath) is there but \(certificatePath) is missing: restore \(certificateFile) from a backup, or, to make "
                    + "a new authority (every tablet must then install it), delete \(keyFile)")
        }
        let authority = try make(hostName: hostName, now: now)
        // The key first: a start stopped between the two writes leaves the key alone, and the next start says so.
        try SecureFile.write(
            authority.key.pemRepresentation + "\n", to: (dataDirectory as NSString).appendingPathComponent(keyFile),
            mode: 0o600)
        try SecureFile.write(authority.certificatePEM, to: certificatePath, mode: 0o644)
        logger.notice(
            "made the office certificate authority; install it once on each tablet (see /tls)",
            metadata: ["certificate": "\(certificatePath)", "fingerprint": "\(authority.fingerprint)"])
        return authority
    }

    // MARK: - Certificates

    /// A new authority: a P-256 key and a certificate named after the machine, valid about ten years.
    static func make(hostName: String, now: Date) throws -> OfficeAuthority {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        // A common name is at most 64 characters.
        let name = try DistinguishedName {
            CommonName("sipas office CA (\(hostName.prefix(40)))")
            OrganizationName("sipas")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(lifetime),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        return try OfficeAuthority(certificate: certificate, key: key)
    }

    /// A server certificate for `names` with a new key, valid 397 days (the most Apple's devices accept) from an
    /// hour ago (a tablet's clock a little behind still accepts it), never beyond the authority itself. The
    /// chain is the certificate then the authority's, as servers send it.
    func issue(names: [CertificateName], now: Date) throws -> TLSMaterial {
        let serverKey = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(serverKey.publicKey)
        let commonName = names.first.map(\.description).flatMap { $0.count <= 64 ? $0 : nil } ?? "sipas"
        let subject = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("sipas")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            SubjectKeyIdentifier(hash: publicKey)
            SubjectAlternativeNames(names.map(\.generalName))
        }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: min(now.addingTimeInterval(ServerCertificate.lifetime), certificate.notValidAfter),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        return TLSMaterial(
            certificatePEM: try server.serializeAsPEM().pemString + "\n" + certificatePEM,
            privateKeyPEM: serverKey.pemRepresentation + "\n")
    }

    /// Whether `certificate` was signed by this authority.
    func issued(_ certificate: Certificate) -> Bool {
        certificate.issuer == self.certificate.subject
            && self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}
