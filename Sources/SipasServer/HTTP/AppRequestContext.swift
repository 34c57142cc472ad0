import Hummingbird
import NIOCore

/// The per-request context of every route: Hummingbird's core storage, the client's address (for
/// the per-address rate limit), its connection (to ask it for `100 Continue`, see ``ExpectContinueMiddleware``) and
/// who is asking (``Principal``).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    let channel: any Channel
    /// Who is asking, looked up once by ``PrincipalMiddleware``.
    var principal = Principal.anonymous

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }
}
