import Foundation
import Hummingbird

/// The bearer credential of a request (`Authorization: Bearer <key>`), checked against the stored hashes.
enum BearerCredential {
    /// The key, or a 401 saying what is missing.
    static func key(of request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("missing Authorization header; send Authorization: Bearer <device key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Problem.unauthorized("the Authorization header must be Bearer <key>")
        }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The active device holding the request's key.
    static func device(of request: Request, in database: AppDatabase) async throws -> Device {
        let key = try key(of: request)
        guard let device = try await database.activeDevice(key: key) else {
            throw Problem.unauthorized("the device key is unknown or has been revoked")
        }
        return device
    }

    /// Who may read figures: an admin or an official token. Device and integration keys may not (403).
    static func reader(of request: Request, in database: AppDatabase, now: Date) async throws -> FigureReader {
        // A signed-in dashboard (session cookie) reads figures and exports too; only GETs (and HEADs, GETs without
        // the body) reach here that way.
        if request.headers[.authorization] == nil, request.method == .get || request.method == .head,
            let session = HTTPForm.cookie(DashboardController.sessionCookie, in: request),
            let (token, _) = try await database.session(session, now: now)
        {
            return token.role == .admin ? .admin : .official(unit: token.unitReference ?? "")
        }
        let key = try key(of: request)
        if let token = try await database.activeToken(key: key) {
            switch token.role {
            case .admin: return .admin
            case .official: return .official(unit: token.unitReference ?? "")
            case .integration: throw Problem(status: .forbidden, detail: "integration tokens cannot read figures")
            }
        }
        if try await database.activeDevice(key: key) != nil {
            throw Problem(status: .forbidden, detail: "device keys cannot read figures; use an official's token")
        }
        throw Problem.unauthorized("the token is unknown or has been revoked")
    }

    /// An admin token (or an admin's dashboard session, for GETs); anyone else who may read figures gets 403
    /// naming `what` is refused, the rest 401 as for the figures.
    static func requireAdmin(_ request: Request, in database: AppDatabase, now: Date, for what: String) async throws {
        guard case .admin = try await reader(of: request, in: database, now: now) else {
            throw Problem(status: .forbidden, detail: "\(what) is for admins only")
        }
    }

    /// Who may push dossiers: an integration token (its unit subtree) or an admin (any unit).
    static func dossierSource(of request: Request, in database: AppDatabase) async throws -> String? {
        let key = try key(of: request)
        guard let token = try await database.activeToken(key: key) else {
            if try await database.activeDevice(key: key) != nil {
                throw Problem(status: .forbidden, detail: "device keys cannot push dossiers; use an integration token")
            }
            throw Problem.unauthorized("the token is unknown or has been revoked")
        }
        switch token.role {
        case .admin: return nil
        case .integration: return token.unitReference
        case .official:
            throw Problem(status: .forbidden, detail: "official tokens cannot push dossiers; use an integration token")
        }
    }
}
