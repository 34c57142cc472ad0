import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SwiftASN1
import Synchronization
import Testing
import X509

@testable import SipasServer

/// HTTPS with no certificate from the operator: the office's own authority, made in the data directory, and the
/// server certificate it issues for the names tablets use. Clients here trust the authority alone, as a tablet
/// that installed it does.
@Suite("HTTPS with the office's own certificate authority")
struct HTTPSTests {
    static let logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// GET /healthz over TLS trusting only `authority` (PEM): true when the server answered 200. With a `name`,
    /// sent as SNI, the certificate must hold the name: the connection goes to 127.0.0.2, an address not on the
    /// certificate (a certificate is also accepted for the address connected to). Without one, it goes to
    /// 127.0.0.1, which the certificate must hold.
    static func reaches(port: Int, trusting authority: String, as name: String?) async throws -> Bool {
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(authority.utf8))
        let connection = try await RawConnection.connect(
            host: name == nil ? "127.0.0.1" : "127.0.0.2", port: port, tls: true, trusting: roots, serverHostname: name)
        // A refused handshake fails the write or closes the connection: either way nothing arrives. Otherwise the
        // server answers, then closes the connection.
        try? await connection.send("GET /healthz HTTP/1.1\r\nHost: \(name ?? "127.0.0.1")\r\nConnection: close\r\n\r\n")
        _ = try await connection.wait(timeout: .seconds(5)) { $0.closed }
        await connection.close()
        return connection.received.text.hasPrefix("HTTP/1.1 200")
    }

    /// Runs the real app of `env` on every address of a free port, so that it is reachable at 127.0.0.2 as well, an
    /// address not on its certificate (HummingbirdTesting binds `localhost` only), and calls `body` with the port.
    static func withServer(_ env: TestEnvironment, _ body: @Sendable (Int) async throws -> Void) async throws {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "0.0.0.0", port: 0
        ).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        var configuration = env.configuration
        (configuration.host, configuration.port) = ("0.0.0.0", port)
        let app = try await buildApplication(configuration, database: env.database)
        let services = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            for _ in 0..<200 {
                if let connection = try? await RawConnection.connect(port: port, tls: false) {
                    await connection.close()
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await body(port)
            await services.triggerGracefulShutdown()
        }
    }

    static func file(_ env: TestEnvironment, _ name: String) throws -> String {
        try String(contentsOfFile: env.directory + "/" + name, encoding: .utf8)
    }

    static func mode(_ env: TestEnvironment, _ name: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: env.directory + "/" + name)[.posixPermissions] as? Int
    }

    @Test(
        "a client trusting only tls-ca.pem reaches the server by the names on its certificate, not by another; renaming keeps the authority"
    )
    func tabletsTrustTheAuthority() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        env.configuration.tls = .officeAuthority
        env.configuration.tlsNames = ["office.lan", "192.0.2.10"]
        let key = try env.deviceKey()
        let directory = env.directory
        try await Self.withServer(env) { port in
            let authority = try String(
                contentsOfFile: directory + "/" + OfficeAuthority.certificateFile, encoding: .utf8)
            let issued = try #require(ServerCertificate.read(from: directory))
            #expect(issued.names.map(\.description) == ["office.lan", "192.0.2.10", "localhost", "127.0.0.1", "::1"])
            #expect(try await Self.reaches(port: port, trusting: authority, as: "office.lan"))
            #expect(try await Self.reaches(port: port, trusting: authority, as: nil))
            #expect(try await !Self.reaches(port: port, trusting: authority, as: "other.lan"))

            // The API itself, with a stock HTTP client that trusts the authority.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.utf8)))
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            var request = HTTPClientRequest(url: "https://localhost:\(port)/v1/responses")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: sipasResponse()))
            // Generous: the point is the trust, not the speed; a machine running several builds can take seconds.
            var status: UInt?
            do {
                status = try await http.execute(request, timeout: .seconds(60)).status.code
            } catch {
                Issue.record("POST /v1/responses over the authority's TLS failed: \(error)")
            }
            try await http.shutdown()
            #expect(status == 201)
        }
        #expect(try await env.database.responseCount() == 1)
        #expect(try Self.mode(env, OfficeAuthority.keyFile) == 0o600)
        #expect(try Self.mode(env, ServerCertificate.keyFile) == 0o600)
        #expect(try Self.mode(env, OfficeAuthority.certificateFile) == 0o644)

        // The operator changes the names and restarts (the point of the second start): a new server certificate from
        // the same authority, so tablets that installed it before reach the server by the new name without
        // installing anything.
        let authority = try Self.file(env, OfficeAuthority.certificateFile)
        env.configuration.tlsNames = ["sipas.office.lan"]
        try await Self.withServer(env) { port in
            let kept = try String(contentsOfFile: directory + "/" + OfficeAuthority.certificateFile, encoding: .utf8)
            #expect(kept == authority)
            #expect(
                ServerCertificate.read(from: directory)?.names.map(\.description) == [
                    "sipas.office.lan", "localhost", "127.0.0.1", "::1",
                ])
            #expect(try await Self.reaches(port: port, trusting: authority, as: "sipas.office.lan"))
            #expect(try await !Self.reaches(port: port, trusting: authority, as: "office.lan"))
        }
    }

    @Test("near its end the server certificate is reissued by the loader, and the running store serves the new one")
    func renewalNearExpiry() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let clock = Mutex(Date())
        let office = try OfficeTLS(
            dataDirectory: env.directory, names: ["office.lan"], now: clock.withLock { $0 }, logger: Self.logger)
        let store = try TLSContextStore(logger: Self.logger, load: { try office.material(now: clock.withLock { $0 }) })
        let first = try #require(ServerCertificate.read(from: env.directory))
        let context = store.context
        #expect(!store.reload(), "nothing to renew yet")

        clock.withLock { $0 += 366 * 24 * 3600 }  // 31 days before the end of 397
        #expect(!store.reload())
        clock.withLock { $0 += 2 * 24 * 3600 }
        #expect(store.reload())
        #expect(store.context !== context)
        let renewed = try #require(ServerCertificate.read(from: env.directory))
        #expect(renewed.material.certificatePEM != first.material.certificatePEM)
        #expect(renewed.notValidAfter > first.notValidAfter)
        #expect(office.authority.issued(renewed.certificate) && renewed.names == first.names)
    }

    @Test("the host of publicURL is on the server certificate beside the names given, a name or an address")
    func publicURLHost() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        for (publicURL, expected) in [
            ("https://khaosat.lapvo.example.vn:8443", "khaosat.lapvo.example.vn"),
            ("https://[fd00::8]:8443/", "fd00::8"),
            ("https://192.168.1.20", "192.168.1.20"),
        ] {
            let office = try OfficeTLS(
                dataDirectory: env.directory, names: ["office.lan"], publicURL: publicURL, now: Date(),
                logger: Self.logger)
            _ = try office.material(now: Date())
            let names = try #require(ServerCertificate.read(from: env.directory)).names.map(\.description)
            #expect(names == ["office.lan", expected, "localhost", "127.0.0.1", "::1"], "\(publicURL)")
        }
    }

    @Test("the authority at /tls/ca.pem and /tls/ca.crt, the guide at /tls; none with the operator's certificate")
    func authorityDownloads() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        // The operator's own certificate: no authority is made, and the routes say why there is none.
        let operatorPair = try OfficeAuthority.make(hostName: "province", now: Date()).issue(
            names: CertificateName.loopback, now: Date())
        try operatorPair.certificatePEM.write(
            toFile: env.directory + "/operator-cert.pem", atomically: true, encoding: .utf8)
        try operatorPair.privateKeyPEM.write(
            toFile: env.directory + "/operator-key.pem", atomically: true, encoding: .utf8)
        var operated = env.configuration
        operated.tls = .files(
            certificate: env.directory + "/operator-cert.pem", key: env.directory + "/operator-key.pem")
        try await env.withApp(operated) { client in
            for path in ["/tls/ca.pem", "/tls/ca.crt"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound && response.headers[.contentType] == "application/problem+json")
                #expect(try response.problem().detail.contains("operator's certificate"))
            }
            let page = try await client.execute(uri: "/tls?lang=en", method: .get)
            #expect(
                page.status == .ok && page.text.contains("there is nothing to install")
                    && !page.text.contains("/tls/ca.crt"))
        }
        #expect(!FileManager.default.fileExists(atPath: env.directory + "/" + OfficeAuthority.certificateFile))

        env.configuration.tls = .officeAuthority
        let directory = env.directory
        try await env.withApp { client in
            let authority = try #require(try OfficeAuthority.load(from: directory))
            let pem = try await client.execute(uri: "/tls/ca.pem", method: .get)
            let kept = try String(contentsOfFile: directory + "/" + OfficeAuthority.certificateFile, encoding: .utf8)
            #expect(pem.status == .ok && pem.text == kept)
            #expect(pem.headers[.contentType] == "application/x-pem-file")
            #expect(pem.headers[.contentDisposition] == #"attachment; filename="sipas-ca.pem""#)
            let der = try await client.execute(uri: "/tls/ca.crt", method: .get)
            #expect(der.status == .ok && der.headers[.contentType] == "application/x-x509-ca-cert")
            // The same certificate: the PEM file's base64 body is the DER.
            let base64 = kept.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            #expect(Data(der.body.readableBytesView) == Data(base64Encoded: base64))
            #expect(
                authority.fingerprint.count == 32 * 3 - 1 && authority.fingerprint == authority.fingerprint.uppercased()
            )

            for (language, heading) in [("vi", "Máy tính bảng Android"), ("en", "Android tablet")] {
                let page = try await client.execute(uri: "/tls?lang=\(language)", method: .get)
                #expect(page.status == .ok && page.text.contains(heading))
                #expect(page.text.contains(authority.fingerprint) && page.text.contains(#"href="/tls/ca.crt""#))
                #expect(page.text.contains(#"href="/tls/ca.pem""#))
            }
        }
    }

    @Test("the self-signed certificate of an earlier release is replaced by one the authority issues, new key and all")
    func upgradeFromSelfSigned() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let earlier = try Self.earlierSelfSigned()
        try earlier.certificate.write(
            toFile: env.directory + "/" + ServerCertificate.certificateFile, atomically: true, encoding: .utf8)
        try earlier.key.write(
            toFile: env.directory + "/" + ServerCertificate.keyFile, atomically: true, encoding: .utf8)
        let office = try OfficeTLS(dataDirectory: env.directory, names: [], now: Date(), logger: Self.logger)
        let material = try office.material(now: Date())
        #expect(!material.certificatePEM.contains(earlier.certificate.split(separator: "\n")[1]))
        #expect(material.privateKeyPEM != earlier.key)
        let current = try #require(ServerCertificate.read(from: env.directory))
        #expect(current.material.certificatePEM == material.certificatePEM)
        #expect(
            office.authority.issued(current.certificate)
                && current.serves(office.wantedNames(), for: office.authority, now: Date()))
        #expect(Set(current.names).isSuperset(of: CertificateName.loopback))
    }

    @Test(
        "an authority whose key is missing or foreign, or whose certificate is lost, stops the start rather than being replaced"
    )
    func authorityWithoutKey() throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        _ = try OfficeTLS(dataDirectory: env.directory, names: [], now: Date(), logger: Self.logger)
        let keyPath = env.directory + "/" + OfficeAuthority.keyFile
        let authority = try Self.file(env, OfficeAuthority.certificateFile)
        try FileManager.default.removeItem(atPath: keyPath)
        let missing = #expect(throws: OperatorError.self) {
            try OfficeTLS(dataDirectory: env.directory, names: [], now: Date(), logger: Self.logger)
        }
        #expect(missing?.description.contains("tls-ca-key.pem: missing") == true, "\(missing?.description ?? "")")
        let foreignKey = P256.Signing.PrivateKey().pemRepresentation + "\n"
        try foreignKey.write(toFile: keyPath, atomically: true, encoding: .utf8)
        let foreign = #expect(throws: OperatorError.self) {
            try OfficeTLS(dataDirectory: env.directory, names: [], now: Date(), logger: Self.logger)
        }
        #expect(foreign?.description.contains("not the private key of") == true, "\(foreign?.description ?? "")")
        #expect(try Self.file(env, OfficeAuthority.certificateFile) == authority)

        // The certificate lost, its key still there: the key is kept, not overwritten by a new authority.
        try FileManager.default.removeItem(atPath: env.directory + "/" + OfficeAuthority.certificateFile)
        let lost = #expect(throws: OperatorError.self) {
            try OfficeTLS(dataDirectory: env.directory, names: [], now: Date(), logger: Self.logger)
        }
        #expect(lost?.description.contains("tls-ca.pem is missing") == true, "\(lost?.description ?? "")")
        #expect(try Self.file(env, OfficeAuthority.keyFile) == foreignKey)
        #expect(!FileManager.default.fileExists(atPath: env.directory + "/" + OfficeAuthority.certificateFile))
    }

    @Test(
        "a certificate name is a DNS name or an IP address, in one normal form",
        arguments: ([
            ("office.lan", "office.lan"), ("Sipas.LapVo.Local.", "sipas.lapvo.local"), ("localhost", "localhost"),
            ("xn--khosat-jua.vn", "xn--khosat-jua.vn"), ("192.168.1.10", "192.168.1.10"), ("FD00:0::10", "fd00::10"),
            ("bad_name", nil), ("192.168.1.300", nil), ("-office.lan", nil), ("office..lan", nil), ("", nil),
            ("khảosát.vn", nil), ("office.lan:8443", nil), ("[::1]", nil),
        ] as [(String, String?)]).map { Named("'\($0.0)' → \($0.1 ?? "refused")", $0) })
    func certificateNames(_ example: Named<(String, String?)>) {
        let (text, normal) = example.value
        #expect(CertificateName(text)?.description == normal)
    }

    // MARK: - Fixtures

    /// A certificate and key as an earlier release made them in the data directory: self-signed, CN localhost,
    /// CA:FALSE with keyCertSign, for localhost, 127.0.0.1 and ::1. Made here, so no key is kept in the repository.
    static func earlierSelfSigned() throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("localhost")
            OrganizationName("sipas (self-signed)")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(397 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                ])
            }, issuerPrivateKey: .init(key))
        return (try certificate.serializeAsPEM().pemString + "\n", key.pemRepresentation + "\n")
    }
}
