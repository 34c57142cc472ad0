import Hummingbird
import HummingbirdCore
import NIOCore

/// For a request with `Expect: 100-continue`, asks the connection for `100 Continue` when a handler first reads
/// the body, not before: a request refused without reading it (401, 413 by `Content-Length`, 429) is answered at
/// once and its body never sent. ``HTTP1ConnectionHandler`` writes the `100 Continue`.
struct ExpectContinueMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.headers[.expect]?.lowercased().contains("100-continue") == true else {
            return try await next(request, context)
        }
        var request = request
        request.body = HummingbirdCore.RequestBody(
            asyncSequence: BodyAskingToContinue(base: request.body, channel: context.channel))
        return try await next(request, context)
    }
}

/// A request body that tells the connection, on its first read, that the body is wanted.
struct BodyAskingToContinue: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: HummingbirdCore.RequestBody
    let channel: any Channel

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HummingbirdCore.RequestBody.AsyncIterator
        /// Nil once asked.
        var channel: (any Channel)?

        mutating func next() async throws -> ByteBuffer? {
            if let channel {
                self.channel = nil
                // Fails only where no HTTP/1 connection handles it (HTTP/2, the tests' channel without a socket).
                try? await channel.triggerUserOutboundEvent(HTTP1ConnectionHandler.BodyWanted()).get()
            }
            return try await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), channel: channel)
    }
}
