import Foundation

/// Who is asking (người gửi yêu cầu): the credentials a request carries, each looked up once by
/// ``PrincipalMiddleware`` and kept on the request's context. Handlers ask the context what they need
/// (``AppRequestContext/requireOfficialOrAdmin()`` and the others in `AppRequestContext+Access.swift`); none reads a
/// header or cookie itself.
struct Principal: Sendable {
    /// What the `Authorization: Bearer <key>` header named, looked up among devices and tokens.
    enum Bearer: Sendable {
        /// An active device's key (a desk tablet or kiosk). Read from the database for this request, except on the
        /// ingest routes, whose commit confirms a cached one (``DeviceCredential/isConfirmed``).
        case device(DeviceCredential)
        /// An active token: admin, official or integration.
        case token(AccessToken)
        /// A well-formed key that no active device or token holds (never issued, or revoked).
        case unknown
        /// A header that is not one `Bearer <key>`; says what is wrong with it.
        case malformed(String)
    }

    /// A signed-in dashboard (the `sipas_session` cookie): the official's or admin's token and the form secret.
    struct Session: Sendable {
        let token: AccessToken
        let csrf: String
    }

    /// The bearer credential; nil without an `Authorization` header.
    var bearer: Bearer?
    /// The dashboard session; nil without the cookie or when it has expired or its token was revoked.
    var session: Session?
    /// The device a tablet's browser was signed in as (the `sipas_device` cookie), for the survey pages; always read
    /// from the database for this request.
    var tablet: DeviceCredential?
    /// Whether the request is a GET or HEAD: only those may read figures by the session cookie alone, so a page on
    /// another site cannot make a signed-in browser change anything (the forms carry their own CSRF secret).
    var readsOnly = false

    /// A request without any credential.
    static let anonymous = Principal()
}

/// Who may read figures: an admin (every unit) or an official (one unit version and what it covers).
enum FigureReader: Sendable {
    /// Every unit.
    case admin
    /// One unit version (`CODE@YYYY-MM-DD`, the one the token was issued for) and everything under it, with its
    /// predecessors for the dates before it started.
    case official(unit: String)

    var isAdmin: Bool { if case .admin = self { true } else { false } }

    /// The reader a token stands for; nil for an integration token, which reads no figures.
    init?(_ token: AccessToken) {
        switch token.role {
        case .admin: self = .admin
        case .official: self = .official(unit: token.unitReference ?? "")
        case .integration: return nil
        }
    }
}
