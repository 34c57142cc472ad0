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

/// Takes one request from the bucket of the device asking (``AppRequestContext/requireDevice()``).
struct DeviceGate: Sendable {
    let limiter: RateLimiter
    let metrics: AppMetrics

    func device(of context: AppRequestContext) throws -> Device {
        let device = try context.requireDevice()
        if let wait = limiter.admit("device:\(device.id)") {
            metrics.refused("device_rate")
            throw Problem.tooManyRequests("device \(device.id)", retryAfter: wait)
        }
        return device
    }
}
