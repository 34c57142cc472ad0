import Foundation
import SipasDomain
import SwiftASN1
import X509

// MARK: - The server certificate and its names against the public URL

extension DeploymentDoctor {
    /// The certificate the server presents: `tls.cert`, else the data directory's `tls-cert.pem`; nothing
    /// behind a reverse proxy.
    func certificateChecks(now: Date) -> [DeploymentCheck] {
        let path: String
        let selfIssued: Bool
        switch configuration.tls {
        case .insecureHTTP:
            return [
                DeploymentCheck(
                    "certificate", .skipped,
                    "plain HTTP (tls.insecureHTTP): the reverse proxy presents the certificate",
                    fix: "check the proxy's certificate names the public URL's host")
            ]
        case .files(let certificate, _):
            (path, selfIssued) = (certificate, false)
        case .officeAuthority:
            (path, selfIssued) = (
                (configuration.dataDirectory as NSString).appendingPathComponent("tls-cert.pem"), true
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if selfIssued && !FileManager.default.fileExists(atPath: path) {
                return [
                    DeploymentCheck(
                        "certificate", .warning, "no certificate yet at \(path)",
                        fix: "start sipas serve once: it issues the certificate on its first start")
                ]
            }
            return [
                DeploymentCheck(
                    "certificate", .action, "\(path): cannot be read",
                    fix: selfIssued
                        ? "check the data directory's owner (the sipas user)"
                        : "check the path (tls.cert, --tls-cert) and that the sipas user can read it")
            ]
        }
        let leaf: Certificate
        do {
            leaf = try Self.leaf(ofPEM: String(decoding: data, as: UTF8.self))
        } catch {
            return [
                DeploymentCheck(
                    "certificate", .action, "\(path): not a PEM certificate (\(error))",
                    fix: selfIssued
                        ? "remove it and restart sipas serve, which issues it again"
                        : "put the PEM certificate chain there, leaf first")
            ]
        }
        var checks = [
            certificateNames(leaf, path: path, selfIssued: selfIssued),
            certificateExpiry(leaf, now: now, selfIssued: selfIssued),
        ]
        if selfIssued, let authority = certificateAuthority(leaf, path: path) { checks.append(authority) }
        return checks
    }

    /// The host clients use must be among the certificate's names, or every tablet refuses the connection.
    func certificateNames(_ leaf: Certificate, path: String, selfIssued: Bool) -> DeploymentCheck {
        let names: CertificateNames
        do {
            names = try CertificateNames(leaf)
        } catch {
            return DeploymentCheck(
                "certificate", .action, "\(path): its subjectAltName cannot be read (\(error))",
                fix: renewal(selfIssued))
        }
        let shown = "names: " + (names.isEmpty ? "none" : names.shown.joined(separator: ", "))
        guard !names.isEmpty else {
            return DeploymentCheck(
                "certificate", .action, "\(shown) (no subjectAltName): clients refuse it", fix: renewal(selfIssued))
        }
        let host: String
        let which: String
        if let publicURL = configuration.publicURL {
            guard let urlHost = URLComponents(string: publicURL)?.host, !urlHost.isEmpty else {
                return DeploymentCheck(
                    "certificate", .action, "\(shown); the public URL \(publicURL) names no host",
                    fix: "set publicURL to the address the tablets use, e.g. https://khaosat.lapvo.gov.vn:8443")
            }
            (host, which) = (urlHost, "the public URL's host")
        } else if ["0.0.0.0", "::", "[::]", ""].contains(configuration.host) {
            return DeploymentCheck(
                "certificate", .warning,
                "\(shown); no public URL set, so survey links name the address served (\(configuration.host))",
                fix: "set publicURL (--public-url) to the address the tablets use")
        } else {
            (host, which) = (configuration.host, "the address served (no public URL set)")
        }
        if names.covers(host: host) {
            return DeploymentCheck("certificate", .ok, "\(shown); \(which), \(host), is among them")
        }
        let fix =
            selfIssued
            ? "restart sipas serve with this public URL (systemctl restart sipas): it issues a certificate that names \(host)"
            : "use a certificate issued for \(host) (README \"A real certificate\"), or correct publicURL"
        return DeploymentCheck(
            "certificate", .action,
            "\(shown); \(which), \(host), is not among them: clients will refuse the connection", fix: fix)
    }

    /// What renews a certificate, by who made it.
    func renewal(_ selfIssued: Bool) -> String {
        selfIssued
            ? "restart sipas serve: it issues a new certificate"
            : "renew it (the CA, or certbot renew), then systemctl reload sipas"
    }

    /// The first certificate of a PEM chain (the server's own; intermediates follow it).
    static func leaf(ofPEM pem: String) throws -> Certificate {
        guard
            let first = try PEMDocument.parseMultiple(pemString: pem).first(where: { $0.discriminator == "CERTIFICATE" }
            )
        else {
            throw OperatorError("no CERTIFICATE block")
        }
        return try Certificate(derEncoded: first.derBytes)
    }
}
