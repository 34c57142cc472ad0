import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOSSL
import Testing

@testable import SipasServer

@Suite("HTTPS with the self-signed certificate made in code")
struct HTTPSTests {
    @Test("the certificate is made once, kept in the data directory, its key readable by the owner only")
    func keptCertificate() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let first = try TLSMaterial.selfSigned(in: env.directory, now: Date(), logger: .init(label: "test"))
        let second = try TLSMaterial.selfSigned(in: env.directory, now: Date(), logger: .init(label: "test"))
        #expect(first.certificatePEM == second.certificatePEM)
        let attributes = try FileManager.default.attributesOfItem(atPath: env.directory + "/tls-key.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a client that trusts only that certificate reaches the API over HTTPS as localhost")
    func verifiedHTTPS() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        env.configuration.tls = .selfSigned
        let key = try env.deviceKey()
        let app = try await buildApplication(env.configuration)
        let certificate = try String(contentsOfFile: env.directory + "/tls-cert.pem", encoding: .utf8)
        try await app.test(.ahc(.https)) { client in
            let port = try #require(client.port)
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)))
            tls.certificateVerification = .fullVerification
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                var request = HTTPClientRequest(url: "https://localhost:\(port)/v1/responses")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: sipasResponse()))
                let response = try await http.execute(request, timeout: .seconds(10))
                #expect(response.status == .created)

                // A client with the default trust store refuses the self-signed certificate: TLS is real.
                let strict = HTTPClient(eventLoopGroupProvider: .singleton)
                await #expect(throws: (any Error).self) {
                    _ = try await strict.execute(HTTPClientRequest(url: "https://localhost:\(port)/healthz"), timeout: .seconds(2))
                }
                try await strict.shutdown()
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
        #expect(try env.database.responseCount() == 1)
    }
}
