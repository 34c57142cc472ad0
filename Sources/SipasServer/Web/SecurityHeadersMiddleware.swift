import HTTPTypes
import Hummingbird

/// Security headers on every response: nothing is loaded from outside the server, no inline script,
/// no framing; HSTS when the server speaks TLS.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let tls: Bool

    static var contentSecurityPolicy: String { contentSecurityPolicy(styleNonce: nil) }

    /// The policy; a page with one inline style block of its own (the printed report's page rules) names its nonce.
    static func contentSecurityPolicy(styleNonce: String?) -> String {
        let style = styleNonce.map { "style-src 'self' 'nonce-\($0)'" } ?? "style-src 'self'"
        return "default-src 'self'; script-src 'self'; \(style); img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        // A page that set its own policy keeps it (it is never looser than this one but for its own nonce).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
