import Foundation
import NIOSSL
import Testing

@testable import SipasServer

@Suite("PostgresConnector: the password and TLS from the settings")
struct PostgresConnectorTests {
    @Test("the password comes from the whole file, one line break at its end dropped, or from PGPASSWORD")
    func passwordSources() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-password-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = PostgresSettings(host: "db", user: "sipas", database: "sipas")
        for (content, password) in [("bí mật\n", "bí mật"), ("a b\r\n", "a b"), ("x\n\n", "x\n"), ("  y ", "  y ")] {
            let file = directory.appendingPathComponent("password").path
            try content.write(toFile: file, atomically: true, encoding: .utf8)
            var settings = base
            settings.password = .file(file)
            #expect(try PostgresConnector(settings).password() == password)
        }
        for (content, message) in [("\n", "is empty"), ("", "is empty")] {
            let file = directory.appendingPathComponent("password").path
            try content.write(toFile: file, atomically: true, encoding: .utf8)
            var settings = base
            settings.password = .file(file)
            let error = #expect(throws: OperatorError.self) { try PostgresConnector(settings).password() }
            #expect(error?.description.contains(message) == true)
        }
        var missing = base
        missing.password = .file(directory.appendingPathComponent("none").path)
        let error = #expect(throws: OperatorError.self) { try PostgresConnector(missing).password() }
        #expect(error?.description.contains("cannot be read") == true)

        var connector = PostgresConnector(base)
        connector.environment = ["PGPASSWORD": "từ môi trường"]
        #expect(try connector.password() == "từ môi trường")
        connector.environment = [:]
        #expect(try connector.password() == nil)
    }

    @Test("sslmode as libpq means it: prefer and require encrypt unchecked, verify-full checks the certificate")
    func tls() throws {
        func mode(_ tls: PostgresSettings.TLSMode) throws -> (CertificateVerification, Bool)? {
            try PostgresConnector(PostgresSettings(host: "db", user: "sipas", database: "sipas", tls: tls))
                .tlsConfiguration().map { ($0.0.certificateVerification, $0.required) }
        }
        #expect(try mode(.disable) == nil)
        #expect(try mode(.prefer).map { $0.0 == .none && !$0.1 } == true)
        #expect(try mode(.require).map { $0.0 == .none && $0.1 } == true)
        #expect(try mode(.verifyFull(rootCertificate: nil)).map { $0.0 == .fullVerification && $0.1 } == true)
        let error = #expect(throws: OperatorError.self) {
            try mode(.verifyFull(rootCertificate: "/nonexistent/db-ca.pem"))
        }
        #expect(error?.description.contains("sslrootcert /nonexistent/db-ca.pem cannot be read") == true)
    }

    @Test("a wrong password or a closed port stops at once, with the server's or the system's reason")
    func signInRefused() async throws {
        var settings = try await PostgresTestCluster.server()
        settings.password = .environment
        var connector = PostgresConnector(settings)
        connector.environment = ["PGPASSWORD": "not the password"]
        let refused = await #expect(throws: OperatorError.self) {
            try await connector.checkSignIn(logger: PostgresTestCluster.logger)
        }
        #expect(
            refused?.description.contains("cannot connect: password authentication failed for user \"sipas\"") == true)
        #expect(refused?.description.contains("not the password") == false)

        // A port of 127.0.0.1 that nothing listens on: the cluster's own, plus one, is very likely free.
        settings.port = settings.port == 65535 ? 1 : settings.port + 1
        let closed = await #expect(throws: OperatorError.self) {
            try await PostgresConnector(settings).checkSignIn(logger: PostgresTestCluster.logger)
        }
        #expect(
            closed?.description.hasPrefix("database \(settings): cannot connect: ") == true,
            "\(String(describing: closed))")
    }
}
