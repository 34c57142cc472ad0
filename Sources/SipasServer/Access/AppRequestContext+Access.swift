/// What each kind of route requires of who is asking, in one place: the answer is the credential it needs, or
/// ``AccessRefused`` saying what to send (401) or what this credential may not do (403).
extension AppRequestContext {
    /// An active device's bearer key: what posts responses. On the ingest routes it may come from the cache
    /// unconfirmed (``DeviceCredential/isConfirmed``): what they store is confirmed by their commit.
    func requireDevice() throws(AccessRefused) -> DeviceCredential {
        switch principal.bearer {
        case .device(let credential): return credential
        case nil: throw .unauthorized("missing Authorization header; send Authorization: Bearer <device key>")
        case .malformed(let reason): throw .unauthorized(reason)
        case .token, .unknown: throw .deviceKeyRefused
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
        case .device(let credential):
            _ = Self.confirmed(credential)
            throw .forbidden("device keys cannot read figures; use an official's token")
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
        case .device(let credential):
            _ = Self.confirmed(credential)
            throw .forbidden("device keys cannot push dossiers; use an integration token")
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
        case .device(let credential): return Self.confirmed(credential).unit
        case .token(let token):
            guard token.role == .integration, let unit = token.unit else {
                throw .forbidden("tickets are made with a device key or an integration token")
            }
            return unit
        }
    }

    /// The device of a credential read from the database for this request. Only the ingest routes, whose commit
    /// confirms the device, are given one from the cache (``PrincipalMiddleware/DeviceLookup``): any other route
    /// answering for a cached key (a revoked key given 403 instead of 401, a ticket issued) is a wiring mistake.
    private static func confirmed(_ credential: DeviceCredential) -> Device {
        assert(credential.isConfirmed, "a cached device key reached a route whose commit does not confirm it")
        return credential.device
    }

    /// The signed-in dashboard session, if any (the pages show the sign-in form without one).
    var session: Principal.Session? { principal.session }

    /// The device this tablet's browser was signed in as, if it is still active.
    var tablet: DeviceCredential? { principal.tablet }
}
