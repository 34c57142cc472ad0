import Foundation
import NIOSSL

/// The certificate and key the server presents, in PEM.
struct TLSMaterial: Sendable {
    let certificatePEM: String
    let privateKeyPEM: String

    /// Reads the operator's PEM files, or fails naming the file.
    static func load(certificate certificatePath: String, key keyPath: String) throws -> TLSMaterial {
        func read(_ path: String, _ what: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OperatorError("\(what) \(path): cannot be read")
            }
            return String(decoding: data, as: UTF8.self)
        }
        let material = TLSMaterial(
            certificatePEM: try read(certificatePath, "--tls-cert"), privateKeyPEM: try read(keyPath, "--tls-key"))
        do {
            _ = try NIOSSLCertificate.fromPEMBytes(Array(material.certificatePEM.utf8))
        } catch {
            throw OperatorError("--tls-cert \(certificatePath): not a PEM certificate (\(error))")
        }
        do {
            _ = try NIOSSLPrivateKey(bytes: Array(material.privateKeyPEM.utf8), format: .pem)
        } catch {
            throw OperatorError("--tls-key \(keyPath): not a PEM private key (\(error))")
        }
        return material
    }

    /// Server TLS settings: TLS 1.2 and 1.3 only, with the Mozilla "intermediate" cipher suites for 1.2.
    func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = [
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        ].joined(separator: ":")
        return configuration
    }
}
