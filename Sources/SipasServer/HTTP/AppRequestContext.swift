import Foundation
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

    /// Every reply a handler returns is written by the API's one encoder (sorted keys), not Hummingbird's default.
    public var responseEncoder: JSONEncoder { APIJSON.encoder }
}
