import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A client that speaks bytes to the server, over TLS (trusting any certificate) or in the clear: for what an HTTP
/// client hides, such as an interim `100 Continue` or the moment the server closes the connection.
final class RawConnection: Sendable {
    /// What has arrived so far, and whether the server has closed the connection.
    final class Received: Sendable {
        private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))
        var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
        var closed: Bool { state.withLock { $0.closed } }
        func append(_ buffer: ByteBuffer) { state.withLock { $0.bytes += buffer.readableBytesView } }
        func close() { state.withLock { $0.closed = true } }
    }

    /// Collects what the server sends.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: Received
        init(_ received: Received) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { received.append(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { received.close() }
        // A TLS peer may end without close_notify; the connection is closed all the same.
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    let received: Received
    private let channel: any Channel

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    /// Connects to `host`. With `roots`, the server's certificate must chain to them and be valid for
    /// `serverHostname` (also sent as SNI) or for the address connected to; a failed check leaves the connection
    /// closed with nothing received.
    static func connect(
        host: String = "127.0.0.1", port: Int, tls: Bool, trusting roots: [NIOSSLCertificate]? = nil,
        serverHostname: String? = nil
    ) async throws -> RawConnection {
        let received = Received()
        let context = try NIOSSLContext(
            configuration: {
                var configuration = TLSConfiguration.makeClientConfiguration()
                if let roots {
                    configuration.trustRoots = .certificates(roots)
                    configuration.certificateVerification = .fullVerification
                } else {
                    configuration.certificateVerification = .none
                }
                return configuration
            }())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(received))
                }
            }
            .connect(host: host, port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Waits until what has arrived satisfies `done` (true) or `timeout` passes (false). The limit is generous: a
    /// loaded CI machine can take seconds to store a batch, and a wait that succeeds returns as soon as it does.
    func wait(timeout: Duration = .seconds(60), until done: (Received) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if done(received) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return done(received)
    }

    func close() async {
        try? await channel.close()
    }

    /// The complete responses in `text`, head and body by `Content-Length`. An interim 1xx has no body, nor has the
    /// answer to a HEAD: `toHead[i]` says whether the i-th final response answers one.
    static func responses(in text: String, toHead: [Bool] = []) -> [(head: String, body: String)] {
        var bytes = Array(text.utf8)[...]
        var found: [(head: String, body: String)] = []
        let separator = Array("\r\n\r\n".utf8)
        while let end = bytes.indices.first(where: { Array(bytes[$0...].prefix(4)) == separator }) {
            let head = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
            let start = end + 4
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let interim = head.hasPrefix("HTTP/1.1 1") || head.hasPrefix("HTTP/1.0 1")
            let final = found.filter { !$0.head.hasPrefix("HTTP/1.1 1") }.count
            let bodyLength = interim || (toHead.indices.contains(final) && toHead[final]) ? 0 : length
            guard bytes.endIndex - start >= bodyLength else { break }
            found.append((head, String(decoding: bytes[start..<start + bodyLength], as: UTF8.self)))
            bytes = bytes[(start + bodyLength)...]
        }
        return found
    }
}
