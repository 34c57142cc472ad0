import Crypto
import Foundation
import SipasDomain
import SwiftASN1
import X509

// MARK: - The office authority that issued the data directory's certificate

extension DeploymentDoctor {
    /// The office authority (`tls-ca.pem`, installed on the tablets) must have issued the data directory's
    /// certificate, or the tablets trusting it refuse the server. Nil when there is no authority file.
    func certificateAuthority(_ leaf: Certificate, path: String) -> DeploymentCheck? {
        let authorityPath = (configuration.dataDirectory as NSString).appendingPathComponent("tls-ca.pem")
        guard let data = FileManager.default.contents(atPath: authorityPath) else { return nil }
        let authority: Certificate
        let der: [UInt8]
        do {
            let documents = try PEMDocument.parseMultiple(pemString: String(decoding: data, as: UTF8.self))
            guard let first = documents.first(where: { $0.discriminator == "CERTIFICATE" }) else {
                throw OperatorError("no CERTIFICATE block")
            }
            authority = try Certificate(derEncoded: first.derBytes)
            der = first.derBytes
        } catch {
            return DeploymentCheck(
                "cert authority", .action, "\(authorityPath): not a PEM certificate (\(error))",
                fix: "restore it from a backup of the data directory: the tablets trust that authority")
        }
        let fingerprint = Self.fingerprint(der)
        let issued = leaf.issuer == authority.subject && authority.publicKey.isValidSignature(leaf.signature, for: leaf)
        guard issued else {
            return DeploymentCheck(
                "cert authority", .action,
                "\(path) is not issued by the office authority \(authorityPath) (SHA-256 \(fingerprint)): tablets trusting it refuse the connection",
                fix: "restart sipas serve so that it issues the certificate again from tls-ca.pem")
        }
        // Its key: the server refuses to start without it, and anyone who reads it can make certificates every
        // tablet trusts.
        do {
            _ = try OfficeAuthority.load(from: configuration.dataDirectory)
        } catch {
            return DeploymentCheck(
                "cert authority", .action, "\(error)", fix: "sipas serve will not start until this is fixed")
        }
        let keyPath = (configuration.dataDirectory as NSString).appendingPathComponent(OfficeAuthority.keyFile)
        if let mode = (try? FileManager.default.attributesOfItem(atPath: keyPath))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            return DeploymentCheck(
                "cert authority", .warning,
                "\(keyPath) is readable by others (mode \(String(mode & 0o777, radix: 8))); SHA-256 \(fingerprint)",
                fix: "chmod 600 \(keyPath): whoever reads it can make certificates every tablet trusts")
        }
        return DeploymentCheck(
            "cert authority", .ok,
            "issued by the office authority \(authorityPath), valid until \(LocalDate(authority.notValidAfter)), SHA-256 \(fingerprint)"
        )
    }

    /// `AB:CD:…`, as tablets and `openssl x509 -fingerprint -sha256` show it.
    static func fingerprint(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
