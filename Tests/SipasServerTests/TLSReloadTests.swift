import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOSSL
import Testing

@testable import SipasServer

@Suite("Certificate renewal without a restart")
struct TLSReloadTests {
    /// GET /healthz trusting only `certificate`; true when the TLS handshake verified.
    static func reaches(port: Int, trusting certificate: String) async -> Bool {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let roots = try? NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)) else { return false }
        tls.trustRoots = .certificates(roots)
        tls.certificateVerification = .fullVerification
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let ok =
            (try? await http.execute(HTTPClientRequest(url: "https://localhost:\(port)/healthz"), timeout: .seconds(5))
                .status == .ok) ?? false
        try? await http.shutdown()
        return ok
    }

    @Test("new certificate files are served to new connections; a broken pair is refused and the old one kept")
    func renewal() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        let certificate = env.directory + "/cert.pem", key = env.directory + "/key.pem"
        // Two pairs from two authorities, as a province CA's renewal might be.
        func pair() throws -> TLSMaterial {
            try OfficeAuthority.make(hostName: "province", now: Date()).issue(
                names: CertificateName.loopback, now: Date())
        }
        let first = try pair(), second = try pair()
        try first.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try first.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        env.configuration.tls = .files(certificate: certificate, key: key)
        env.configuration.certificateCheckInterval = .milliseconds(100)
        let app = try await buildApplication(env.configuration, database: env.database)
        try await app.test(.ahc(.https)) { client in
            let port = try #require(client.port)
            #expect(await Self.reaches(port: port, trusting: first.certificatePEM))

            // A renewal copied half-way (new certificate, old key) is not taken.
            try second.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await Self.reaches(port: port, trusting: first.certificatePEM))

            try second.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await Self.reaches(port: port, trusting: second.certificatePEM))
            #expect(await !Self.reaches(port: port, trusting: first.certificatePEM))
        }
    }
}
