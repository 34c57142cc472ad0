/// A request refused for who is asking: without a usable credential (401, the client should send one) or with
/// one that may not do this (403). Answered by ``ProblemMiddleware``, the 401 with `WWW-Authenticate: Bearer`.
enum AccessRefused: Error, Sendable, Equatable {
    /// No credential, a malformed one, or one unknown or revoked; says what to send.
    case unauthorized(String)
    /// A known credential that may not do this; says what it may not do.
    case forbidden(String)
}
