import Crypto
import Foundation
import SipasDomain
import SwiftASN1
import Testing
import X509

@testable import SipasServer

@Suite("sipas doctor: each check, ok and failing")
struct DoctorTests {
    static let now = TestEnvironment.now

    /// A certificate made here, with its key.
    struct Issued {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        var pem: String { get throws { try certificate.serializeAsPEM().pemString } }
    }

    /// An office authority, as `tls-ca.pem` holds it.
    static func authority(_ name: String = "UBND huyen Lap Vo - sipas") throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400),
            notValidAfter: now.addingTimeInterval(3_650 * 86_400), issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            }, issuerPrivateKey: .init(key))
        return Issued(certificate: certificate, key: key)
    }

    /// A server certificate for `dns` and `addresses`, expiring `days` days (and an hour) after `now`, issued by
    /// `issuer` or else by itself.
    static func server(dns: [String], addresses: [[UInt8]] = [], days: Int = 396, issuer: Issued? = nil) throws
        -> Issued
    {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(dns.first ?? "server") }
        let names =
            dns.map { GeneralName.dnsName($0) }
            + addresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400),
            notValidAfter: now.addingTimeInterval(Double(days) * 86_400 + 3_600),
            issuer: issuer?.certificate.subject ?? subject,
            subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            }, issuerPrivateKey: .init(issuer?.key ?? key))
        return Issued(certificate: certificate, key: key)
    }

    /// An empty data directory (removed by the caller) and settings pointing at it, with no clock check.
    static func scratch() throws -> (
        directory: String, doctor: (AppConfiguration) -> DeploymentDoctor, configuration: AppConfiguration
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipas-doctor-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory
        configuration.calendarDirectory = TestEnvironment.repository.appendingPathComponent("Deploy/calendar").path
        return (directory, { DeploymentDoctor(configuration: $0, ntp: nil) }, configuration)
    }

    static func write(_ text: String, _ directory: String, _ name: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: - Certificate names

    @Test(
        "subjectAltNames cover a host: exact names without case or root dot, one-label wildcards, IP addresses",
        arguments: [
            ("office.lan", true), ("OFFICE.lan.", true), ("khaosat.lapvo.vn", true), ("lapvo.vn", false),
            ("a.b.lapvo.vn", false),
            ("192.168.1.10", true), ("192.168.1.11", false), ("[::1]", true), ("::1", true), ("other.lan", false),
            ("10.0.0.1", false),
        ].map { Named("\($0.0): \($0.1 ? "covered" : "not covered")", $0) })
    func namesCover(_ example: Named<(String, Bool)>) throws {
        let (host, covered) = example.value
        let names = try CertificateNames(
            Self.server(
                dns: ["office.lan", "*.lapvo.vn"],
                addresses: [[192, 168, 1, 10], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]
            ).certificate)
        #expect(names.covers(host: host) == covered)
        #expect(names.shown == ["office.lan", "*.lapvo.vn", "192.168.1.10", "::1"])
    }

    @Test("the operator's certificate naming the public URL's host is ok; another host is an ACTION naming it")
    func certificateNames() throws {
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Self.write(
            try Self.server(dns: ["office.lan", "localhost"], addresses: [[192, 168, 1, 10]]).pem, directory,
            "fullchain.pem")
        var configuration = base
        configuration.tls = .files(certificate: path, key: "")
        configuration.publicURL = "https://office.lan:8443"
        let ok = doctor(configuration).certificateChecks(now: Self.now)
        #expect(ok.map(\.status) == [.ok, .ok])
        #expect(
            ok[0].summary
                == "names: office.lan, localhost, 192.168.1.10; the public URL's host, office.lan, is among them")
        #expect(ok[1].summary == "expires in 396 days (2025-12-30)")

        configuration.publicURL = "https://192.168.1.10:8443/"
        #expect(doctor(configuration).certificateChecks(now: Self.now)[0].status == .ok)
        configuration.publicURL = "https://khaosat.lapvo.dongthap.gov.vn:8443"
        let wrong = doctor(configuration).certificateChecks(now: Self.now)[0]
        #expect(wrong.status == .action)
        #expect(wrong.summary.contains("khaosat.lapvo.dongthap.gov.vn, is not among them"))
        #expect(wrong.fix?.contains("a certificate issued for khaosat.lapvo.dongthap.gov.vn") == true)
        // No public URL: links name the address served; a wildcard address names nothing a tablet can use.
        configuration.publicURL = nil
        configuration.host = "0.0.0.0"
        #expect(doctor(configuration).certificateChecks(now: Self.now)[0].status == .warning)
    }

    @Test("expiry: an operator's certificate under 14 days is an ACTION; the self-issued one is the server's to renew")
    func certificateExpiry() throws {
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Self.write(try Self.server(dns: ["localhost"], days: 10).pem, directory, "fullchain.pem")
        var configuration = base
        configuration.tls = .files(certificate: path, key: "")
        let operatorExpiry = doctor(configuration).certificateChecks(now: Self.now)[1]
        #expect(operatorExpiry.status == .action)
        #expect(operatorExpiry.summary == "expires in 10 days (2024-12-09)")
        #expect(
            doctor(configuration).certificateChecks(now: Self.now.addingTimeInterval(11 * 86_400))[1].summary.hasPrefix(
                "expired on"))

        _ = try Self.write(
            try Self.server(dns: ["localhost"], addresses: [[127, 0, 0, 1]], days: 10).pem, directory, "tls-cert.pem")
        let selfIssued = doctor(base).certificateChecks(now: Self.now)
        #expect(selfIssued[0].status == .ok)
        #expect(
            selfIssued[1].status == .warning && selfIssued[1].summary.contains("sipas renews it itself 30 days before"))
        _ = try Self.write(try Self.server(dns: ["localhost"], days: 200).pem, directory, "tls-cert.pem")
        #expect(doctor(base).certificateChecks(now: Self.now)[1].status == .ok)
    }

    @Test("no certificate before the first start is a warning; plain HTTP behind a proxy is skipped")
    func noCertificateYet() throws {
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let checks = doctor(base).certificateChecks(now: Self.now)
        #expect(
            checks.count == 1 && checks[0].status == .warning
                && checks[0].fix?.contains("start sipas serve once") == true)
        var proxied = base
        proxied.tls = .insecureHTTP
        #expect(doctor(proxied).certificateChecks(now: Self.now).map(\.status) == [.skipped])
    }

    @Test("the data directory's certificate must be issued by tls-ca.pem, whose SHA-256 fingerprint is printed")
    func certificateAuthority() throws {
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let office = try Self.authority()
        _ = try Self.write(try office.pem, directory, "tls-ca.pem")
        let keyPath = try Self.write(office.key.pemRepresentation, directory, "tls-ca-key.pem")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        _ = try Self.write(try Self.server(dns: ["localhost"], issuer: office).pem, directory, "tls-cert.pem")
        var serializer = DER.Serializer()
        try serializer.serialize(office.certificate)
        let fingerprint = SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(
            separator: ":")
        let issued = doctor(base).certificateChecks(now: Self.now)
        #expect(issued.map(\.name) == ["certificate", "cert expiry", "cert authority"])
        #expect(issued[2].status == .ok && issued[2].summary.hasSuffix("SHA-256 \(fingerprint)"))

        // Its key readable by others: a warning; missing: ACTION, as the server will not start.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        let exposed = doctor(base).certificateChecks(now: Self.now)[2]
        #expect(exposed.status == .warning && exposed.fix?.hasPrefix("chmod 600") == true, "\(exposed)")
        try FileManager.default.removeItem(atPath: keyPath)
        let missing = doctor(base).certificateChecks(now: Self.now)[2]
        #expect(missing.status == .action && missing.summary.contains("tls-ca-key.pem: missing"), "\(missing)")
        _ = try Self.write(office.key.pemRepresentation, directory, "tls-ca-key.pem")

        // Same subject, another key: the name matches, the signature does not.
        let impostor = try Self.authority()
        _ = try Self.write(try Self.server(dns: ["localhost"], issuer: impostor).pem, directory, "tls-cert.pem")
        #expect(doctor(base).certificateChecks(now: Self.now)[2].status == .action)
    }

    // MARK: - Backups

    @Test(
        "the newest daily backup: none or older than 2 days is an ACTION; daily backups off is a warning",
        arguments: [
            Named("none", ([], .action)),
            Named(
                "the newest 3 days old, beside an operator's file",
                (["sipas-2024-11-26.sqlite", "before-upgrade.sqlite"], .action)),
            Named("the newest 2 days old", (["sipas-2024-11-20.sqlite", "sipas-2024-11-27.sqlite"], .ok)),
            Named("today's", (["sipas-2024-11-29.sqlite"], .ok)),
        ] as [Named<([String], DeploymentCheck.Status)>])
    func backups(_ example: Named<([String], DeploymentCheck.Status)>) throws {
        let (files, status) = example.value
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backups = base.resolvedBackupDirectory
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        for name in files { _ = try Self.write("", backups, name) }
        let check = doctor(base).backupCheck(now: Self.now)
        #expect(check.status == status, "\(check)")
        var off = base
        off.backupKeep = 0
        #expect(doctor(off).backupCheck(now: Self.now).status == .warning)
    }

    // MARK: - Calendar

    @Test(
        "notice files for the next 12 months: the current year missing is an ACTION, only next year a warning",
        arguments: [
            Named("2024 and 2025", ([2024, 2025], .ok, nil)), Named("2024 only", ([2024], .warning, "2025")),
            Named("2025 only", ([2025], .action, "2024")), Named("none", ([], .action, "2024, 2025")),
        ] as [Named<([Int], DeploymentCheck.Status, String?)>])
    func calendar(_ example: Named<([Int], DeploymentCheck.Status, String?)>) throws {
        let (years, status, missing) = example.value
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = TestEnvironment.repository.appendingPathComponent("Deploy/calendar")
        for name in ["rules.json"] + years.map({ "\($0).json" }) {
            try FileManager.default.copyItem(
                atPath: source.appendingPathComponent(name).path,
                toPath: (directory as NSString).appendingPathComponent(name))
        }
        var configuration = base
        configuration.calendarDirectory = directory
        let check = doctor(configuration).calendarCheck(now: Self.now)
        #expect(check.status == status, "\(check)")
        if let missing {
            #expect(check.summary.hasPrefix("no holiday notice file for \(missing) in"))
            #expect(check.fix?.contains("add \(missing.split(separator: ",").first!).json") == true)
        }
    }

    // MARK: - Database and disk

    @Test("the database is opened as the server does: synchronous=FULL and WAL; a missing one is reported, not created")
    func database() throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        // The doctor opens the file a second time, on purpose: `sipas doctor` is its own process beside the server.
        let ok = DeploymentDoctor(configuration: env.configuration, ntp: nil).databaseCheck()
        #expect(ok.status == .ok && ok.summary.hasSuffix("synchronous=FULL, journal_mode=wal"))
        #expect(DeploymentDoctor.database(synchronous: 1, journalMode: "wal", path: "sipas.sqlite").status == .action)
        #expect(
            DeploymentDoctor.database(synchronous: 2, journalMode: "delete", path: "sipas.sqlite").status == .action)

        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = doctor(base).databaseCheck()
        #expect(missing.status == .action && missing.summary == "no database at \(directory)/sipas.sqlite")
        #expect(missing.fix?.hasPrefix("is --data-dir right?") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("free disk space must hold 2 × the database + 1 GB")
    func diskSpace() throws {
        #expect(DeploymentDoctor.diskSpace(free: 1_500_000_000, database: 400_000_000).status == .action)
        let ok = DeploymentDoctor.diskSpace(free: 12_300_000_000, database: 400_000_000)
        #expect(ok.status == .ok && ok.summary == "12 GB free, database 400 MB (needs 2 × database + 1 GB = 1.8 GB)")
        let (directory, doctor, base) = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(doctor(base).diskSpaceCheck().summary.contains("database 0 bytes"))
        var missing = base
        missing.dataDirectory = directory + "/nowhere"
        #expect(doctor(missing).diskSpaceCheck().status == .skipped)
    }

    // MARK: - The whole run

    @Test("a healthy deployment needs no action (warnings allowed); one ACTION makes the command exit with 1")
    func wholeRun() throws {
        let env = try TestEnvironment(importUnits: false)
        defer { env.remove() }
        var configuration = env.configuration
        configuration.backupKeep = 14
        configuration.tls = .officeAuthority
        configuration.calendarDirectory = TestEnvironment.repository.appendingPathComponent("Deploy/calendar").path
        try FileManager.default.createDirectory(
            atPath: configuration.resolvedBackupDirectory, withIntermediateDirectories: true)
        _ = try Self.write("", configuration.resolvedBackupDirectory, "sipas-2024-11-29.sqlite")
        _ = try Self.write(
            try Self.server(dns: ["localhost"], addresses: [[127, 0, 0, 1]]).pem, env.directory, "tls-cert.pem")
        // The doctor opens the file a second time, on purpose: `sipas doctor` is its own process beside the server.
        let doctor = DeploymentDoctor(configuration: configuration, ntp: nil)
        let checks = doctor.run(now: Self.now)
        #expect(
            checks.map(\.name) == [
                "database", "disk space", "backups", "certificate", "cert expiry", "clock", "calendar",
            ])
        #expect(!DeploymentDoctor.needsAction(checks), "\(checks.filter { $0.status == .action })")
        let lines = DeploymentDoctor.report(checks)
        #expect(
            lines[3]
                == "ok      certificate  names: localhost, 127.0.0.1; the address served (no public URL set), 127.0.0.1, is among them"
        )
        #expect(lines[5].hasPrefix("skipped clock        not checked"))

        try FileManager.default.removeItem(
            atPath: (configuration.resolvedBackupDirectory as NSString).appendingPathComponent(
                "sipas-2024-11-29.sqlite"))
        #expect(DeploymentDoctor.needsAction(doctor.run(now: Self.now)))
    }
}
