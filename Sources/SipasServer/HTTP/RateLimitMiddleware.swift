import Hummingbird

/// The per-address limit, before any other work is done for the request. `/healthz` is exempt so that
/// monitors keep seeing the server during a flood.
///
/// Behind a reverse proxy every request comes from the proxy's address; there, turn this limit off
/// (`--address-rate 0`) and limit at the proxy.
struct AddressRateLimitMiddleware: RouterMiddleware {
    let limiter: RateLimiter
    let metrics: AppMetrics

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        if limiter.isEnabled, request.uri.path != "/healthz", let address = context.remoteAddress?.ipAddress,
            let wait = limiter.admit(address)
        {
            metrics.refused("address_rate")
            throw Problem.tooManyRequests("this address", retryAfter: wait)
        }
        return try await next(request, context)
    }
}

/// The door of the ingest routes: the device asking (``AppRequestContext/requireDevice()``), one request from its
/// bucket, then the request's body.
///
/// The device may come from ``DeviceKeys``' cache, unconfirmed: for what is stored, the commit confirms it. A request
/// refused here (too many requests, a body refused) reads the key first, so a key revoked meanwhile hears 401 here
/// too, as it did when every request read it, and never 429, 400 or 422.
struct DeviceGate: Sendable {
    let limiter: RateLimiter
    let metrics: AppMetrics
    let devices: DeviceKeys

    /// The device asking and what `body` read of its request.
    func admit<Value>(_ context: AppRequestContext, reading body: () async throws -> Value) async throws -> (
        DeviceCredential, Value
    ) {
        let credential = try context.requireDevice()
        do {
            if let wait = limiter.admit("device:\(credential.device.id)") {
                metrics.refused("device_rate")
                throw Problem.tooManyRequests("device \(credential.device.id)", retryAfter: wait)
            }
            return (credential, try await body())
        } catch {
            guard try await devices.confirm(credential) != nil else { throw AccessRefused.deviceKeyRefused }
            throw error
        }
    }
}
