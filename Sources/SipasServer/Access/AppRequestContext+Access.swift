/// What each kind of route requires of who is asking, in one place: the answer is the credential it needs, or
/// ``AccessRefused`` saying what to send (401) or what this credential may not do (403).
extension AppRequestContext {
    /// An active device's bearer key: what posts responses.
    func requireDevice() throws(AccessRefused) -> Device {
        switch principal.bearer {
        case .device(let device): return device
        case nil: throw .unauthorized("missing Authorization header; send Authorization: Bearer <device key>")
        case .malformed(let reason): throw .unauthorized(reason)
        case .token, .unknown: throw .unauthorized("the device key is unknown or has been revoked")
        }
    }

    /// Who may read figures: an admin or an official, by token or (for GETs and HEADs without an `Authorization`
    /// header) by a signed-in dashboard. Device and integration keys may not (403).
    func requireFigureReader() throws(AccessRefused) -> FigureReader {
        if principal.bearer == nil, principal.readsOnly, let session = principal.session {
            // A session's token is an admin's or an official's: the dashboard signs in no other.
            return FigureReader(session.token) ?? .official(unit: session.token.unitReference ?? "")
        }
        switch principal.bearer {
        case nil: throw .unauthorized("missing Authorization header; send Authorization: Bearer <token>")
        case .malformed(let reason): throw .unauthorized(reason)
        case .unknown: throw .unauthorized("the token is unknown or has been revoked")
        case .device: throw .forbidden("device keys cannot read figures; use an official's token")
        case .token(let token):
            guard let reader = FigureReader(token) else { throw .forbidden("integration tokens cannot read figures") }
            return reader
        }
    }

    /// An admin token (or an admin's dashboard session, for GETs); anyone else who may read figures gets 403 naming
    /// `what` is refused, the rest 401 or 403 as for the figures.
    func requireAdmin(for what: String) throws(AccessRefused) {
        guard case .admin = try requireFigureReader() else { throw .forbidden("\(what) is for admins only") }
    }

    /// Who may push dossiers: an integration token (the root of its unit subtree) or an admin (nil: any unit).
    func requireDossierSource() throws(AccessRefused) -> String? {
        switch principal.bearer {
        case nil: throw .unauthorized("missing Authorization header; send Authorization: Bearer <integration token>")
        case .malformed(let reason): throw .unauthorized(reason)
        case .unknown: throw .unauthorized("the token is unknown or has been revoked")
        case .device: throw .forbidden("device keys cannot push dossiers; use an integration token")
        case .token(let token):
            switch token.role {
            case .admin: return nil
            case .integration: return token.unitReference
            case .official: throw .forbidden("official tokens cannot push dossiers; use an integration token")
            }
        }
    }

    /// The unit a ticket (the receipt's survey link) is issued for: a device's, or an integration token's.
    func requireTicketIssuer() throws(AccessRefused) -> String {
        switch principal.bearer {
        case nil: throw .unauthorized("missing Authorization header; send Authorization: Bearer <device key>")
        case .malformed(let reason): throw .unauthorized(reason)
        case .unknown: throw .unauthorized("the key is unknown or has been revoked")
        case .device(let device): return device.unit
        case .token(let token):
            guard token.role == .integration, let unit = token.unit else {
                throw .forbidden("tickets are made with a device key or an integration token")
            }
            return unit
        }
    }

    /// The signed-in dashboard session, if any (the pages show the sign-in form without one).
    var session: Principal.Session? { principal.session }

    /// The device this tablet's browser was signed in as, if it is still active.
    var tablet: Device? { principal.tablet }
}
