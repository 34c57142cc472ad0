import Foundation
import Hummingbird

/// Looks up the request's credentials once (the bearer key, the dashboard session, the tablet's device cookie)
/// and puts them on the context as its ``Principal``. It refuses nothing itself: a route that needs a credential
/// asks the context, which answers 401 or 403 (`AppRequestContext+Access.swift`); the public routes ignore it.
struct PrincipalMiddleware: RouterMiddleware {
    /// Where a device's bearer key is looked up.
    enum DeviceLookup: Sendable {
        /// In the database, on every request (refreshing ``DeviceKeys``' cache): every route but the ingest ones,
        /// since nothing later confirms what they do for the device.
        case database
        /// In ``DeviceKeys``' cache, reading the database only for a key it does not hold: the ingest routes alone,
        /// whose group commit confirms the device inside the transaction that would store its responses
        /// (``CommitPremise``), and which read it before any answer given without a commit.
        case cachedUntilCommit
    }

    let database: AppDatabase
    let devices: DeviceKeys
    let deviceLookup: DeviceLookup
    let now: @Sendable () -> Date

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.principal = try await principal(of: request)
        return try await next(request, context)
    }

    private func principal(of request: Request) async throws -> Principal {
        var principal = Principal()
        principal.readsOnly = request.method == .get || request.method == .head
        let headers = request.headers[values: .authorization]
        if headers.count > 1 {
            // Which of them was meant cannot be known, as with a repeated query parameter.
            principal.bearer = .malformed("send one Authorization header, not \(headers.count)")
        } else if let header = headers.first {
            principal.bearer = try await bearer(header)
        }
        if let id = HTTPForm.cookie(DashboardController.sessionCookie, in: request),
            let (token, csrf) = try await database.session(id, now: now())
        {
            principal.session = .init(token: token, csrf: csrf)
        }
        if let key = HTTPForm.cookie(SurveyFormController.deviceCookie, in: request) {
            principal.tablet = try await devices.device(keyHash: SecretKey.hash(key), cached: false)
        }
        return principal
    }

    private func bearer(_ header: String) async throws -> Principal.Bearer {
        let parts = header.split(separator: " ", maxSplits: 1)
        let malformed = Principal.Bearer.malformed("the Authorization header must be Bearer <key>")
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return malformed }
        let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return malformed }
        let cached = deviceLookup == .cachedUntilCommit
        if let device = try await devices.device(keyHash: SecretKey.hash(key), cached: cached) {
            return .device(device)
        }
        if let token = try await database.activeToken(key: key) { return .token(token) }
        return .unknown
    }
}
