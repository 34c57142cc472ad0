import Foundation
import Logging
import Synchronization

/// HTTPS when the operator gives no certificate: the office authority, and the server certificate it issues for
/// the names tablets use. ``material(now:)`` is the certificate loader the running server calls at every check
/// and on SIGHUP: it reissues when the names change or the certificate nears its end, so a server that runs
/// for years renews by itself and tablets, trusting the authority, never notice.
final class OfficeTLS: Sendable {
    let authority: OfficeAuthority
    private let dataDirectory: String
    /// The names the operator gave (`tls.names`); empty: the machine's own.
    private let givenNames: [CertificateName]
    /// The host of `publicURL`: survey links and enrollment codes name it, so the certificate must too.
    private let publicHost: CertificateName?
    /// The machine's host names, read once (the resolver may be slow); its addresses are read at every check,
    /// so a new address is on the next certificate.
    private let hostNames: [CertificateName]
    private let logger: Logger
    /// One check at a time: SIGHUP and the periodic check could otherwise both reissue and mix their files.
    private let checking = Mutex(())

    /// Loads the authority in `dataDirectory`, or makes it on the first start.
    /// - Parameters:
    ///   - names: DNS names and addresses, each checked by `Settings`; empty for the machine's own.
    ///   - publicURL: the address printed in links (`publicURL`), whose host is always on the certificate.
    init(dataDirectory: String, names: [String], publicURL: String? = nil, now: Date, logger: Logger) throws {
        givenNames = try names.map { text in
            guard let name = CertificateName(text) else {
                throw OperatorError("tls.names: \(CertificateName.problem(text))")
            }
            return name
        }
        publicHost = publicURL.flatMap { URLComponents(string: $0)?.host }.flatMap {
            CertificateName($0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0)
        }
        hostNames = MachineNames.hostNames()
        authority = try OfficeAuthority.prepare(
            in: dataDirectory, hostName: MachineNames.hostName() ?? "sipas", now: now, logger: logger)
        self.dataDirectory = dataDirectory
        self.logger = logger
    }

    /// The names the server certificate should carry now: the given ones, or the machine's host names and
    /// addresses; the host of `publicURL`; and always `localhost`, `127.0.0.1` and `::1`, for the operator's own
    /// checks on the server.
    func wantedNames() -> [CertificateName] {
        let chosen = givenNames.isEmpty ? hostNames + MachineNames.addresses() : givenNames
        return MachineNames.unique(chosen + (publicHost.map { [$0] } ?? []) + CertificateName.loopback)
    }

    /// The server certificate and key to serve: those in the data directory while they serve the wanted names,
    /// else new ones from the authority, written there (the key readable by its owner only).
    func material(now: Date) throws -> TLSMaterial {
        try checking.withLock { _ in
            let names = wantedNames()
            if let current = ServerCertificate.read(from: dataDirectory),
                current.serves(names, for: authority, now: now)
            {
                return current.material
            }
            let material = try authority.issue(names: names, now: now)
            let path = { (file: String) in (self.dataDirectory as NSString).appendingPathComponent(file) }
            try SecureFile.write(material.privateKeyPEM, to: path(ServerCertificate.keyFile), mode: 0o600)
            try SecureFile.write(material.certificatePEM, to: path(ServerCertificate.certificateFile), mode: 0o644)
            logger.notice(
                "issued the server certificate from the office authority",
                metadata: [
                    "names": "\(names.map(\.description).joined(separator: ", "))",
                    "certificate": "\(path(ServerCertificate.certificateFile))",
                ])
            return material
        }
    }
}
