import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 child channel with ``HTTP1ConnectionHandler`` placed right after NIO's request decoder,
/// below Hummingbird's conversion to HTTP types. Used with and without TLS (``ReloadableTLSChannel`` wraps it).
struct HTTP1ServerChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(HTTP1ConnectionHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    var responder: HTTPChannelHandler.Responder { base.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 in the clear (behind a reverse proxy, and in the tests), with the connection rules of
    /// ``HTTP1ConnectionHandler``.
    static func sipasHTTP1(_ configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in HTTP1ServerChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
