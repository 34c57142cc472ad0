/// A request refused for who is asking: without a usable credential (401, the client should send one) or with
/// one that may not do this (403). Answered by ``ProblemMiddleware``, the 401 with `WWW-Authenticate: Bearer`.
enum AccessRefused: Error, Sendable, Equatable {
    /// No credential, a malformed one, or one unknown or revoked; says what to send.
    case unauthorized(String)
    /// A known credential that may not do this; says what it may not do.
    case forbidden(String)
}

extension AccessRefused {
    /// A device key no active device holds (never issued, revoked, replaced, or awaiting enrollment): the answer of
    /// the principal lookup and of a commit that found the key refused meanwhile, in the same words.
    static let deviceKeyRefused = AccessRefused.unauthorized("the device key is unknown or has been revoked")
}
