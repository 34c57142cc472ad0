import Hummingbird
import NIOCore

/// The per-request context of every route: Hummingbird's core storage, the client's address (for
/// the per-address rate limit) and its connection (to ask it for `100 Continue`, see ``ExpectContinueMiddleware``).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }
}
