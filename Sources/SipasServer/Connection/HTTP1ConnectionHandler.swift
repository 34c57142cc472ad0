import NIOCore
import NIOHTTP1

/// What HummingbirdCore's HTTP/1.1 channel leaves out about the connection itself, done where the request's HTTP
/// version is still known: between NIO's HTTP/1 decoder and Hummingbird's conversion to HTTP types, which drops it.
///
/// - **Closing.** A request that does not keep the connection alive (HTTP/1.0 without `Connection: keep-alive`,
///   or `Connection: close` in any spelling) gets `Connection: close` on its response, and the connection is
///   closed once that response is written; nothing sent after such a request is handed to the app (RFC 9112
///   §9.6). Hummingbird itself only looks for the exact header `Connection: close`, so an HTTP/1.0 client was
///   held open until the idle timeout (30 s).
/// - **`Expect: 100-continue`.** The client holds its body back until told `100 Continue` (curl gives up waiting
///   after a second). It is told so when the app starts reading the body (``ExpectContinueMiddleware`` sends
///   ``BodyWanted``), so a request refused before that (a bad key: 401; a `Content-Length` over the limit: 413)
///   gets its final status at once and its body is never sent. Since such a client may still send the body or
///   not, the connection is closed after that answer instead of reading on (RFC 9110 §10.1.1).
///
/// Requests may be pipelined, so what each one asked for is kept, in order, until its response is written.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Sent down the pipeline by the app when a handler starts reading the request's body.
    struct BodyWanted: Sendable {}

    /// A request whose response has not been written yet.
    private struct Exchange {
        /// An HTTP/1.0 request: its response must not be chunked (RFC 9112 §7.1), so one without a
        /// Content-Length (a streamed export) is sent as HTTP/1.0 and ends by closing the connection.
        let http10: Bool
        let keepAlive: Bool
        /// An HTTP/1.0 client keeps the connection only when the response says `Connection: keep-alive` too.
        let saysKeepAlive: Bool
        /// An HTTP/1.1 request with `Expect: 100-continue`, neither told to continue nor arrived whole yet.
        var awaitsContinue: Bool
        var closeAfterResponse = false
    }

    /// Oldest first: the first is the one the app is answering.
    private var exchanges: [Exchange] = []
    /// Set once a request that ends the connection has arrived whole: what follows it is not read.
    private var ignoresInbound = false

    // MARK: - Requests in

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ignoresInbound else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let http11 = (head.version.major, head.version.minor) >= (1, 1)
            // An HTTP/1.0 client cannot expect 100 Continue (RFC 9110 §10.1.1).
            let expectsContinue = http11 && head.headers["expect"].contains { $0.lowercased().contains("100-continue") }
            exchanges.append(
                Exchange(
                    http10: !http11, keepAlive: head.isKeepAlive, saysKeepAlive: !http11 && head.isKeepAlive,
                    awaitsContinue: expectsContinue))
            context.fireChannelRead(data)
        case .body:
            context.fireChannelRead(data)
        case .end:
            context.fireChannelRead(data)
            // The request being read is the newest; it may already have been answered (and dropped) before its end.
            guard !exchanges.isEmpty else { return }
            exchanges[exchanges.count - 1].awaitsContinue = false
            if !exchanges[exchanges.count - 1].keepAlive { ignoresInbound = true }
        }
    }

    /// The app wants the body of the request it is answering: `100 Continue` when that request is waiting for it.
    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is BodyWanted else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        guard !exchanges.isEmpty, exchanges[0].awaitsContinue else {
            promise?.succeed(())
            return
        }
        exchanges[0].awaitsContinue = false
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: promise)
    }

    // MARK: - Responses out

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where !exchanges.isEmpty && head.status.code >= 200:
            // A client still waiting for 100 Continue has not sent its body, and may or may not send it now.
            let unframed = exchanges[0].http10 && head.headers["content-length"].isEmpty
            let close = !exchanges[0].keepAlive || exchanges[0].awaitsContinue || unframed
            // Answered as HTTP/1.0 so that NIO's encoder does not chunk it: the body ends where the connection does.
            if unframed { head.version = .http1_0 }
            exchanges[0].awaitsContinue = false
            exchanges[0].closeAfterResponse = close
            if close {
                head.headers.replaceOrAdd(name: "connection", value: "close")
                ignoresInbound = true
            } else if exchanges[0].saysKeepAlive {
                head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !exchanges.isEmpty:
            guard exchanges.removeFirst().closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
