import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The TLS context every new connection gets, replaceable while the server runs: a renewed certificate is
/// picked up on SIGHUP (`systemctl reload sipas`) or when its files change, without dropping the service.
/// Open connections keep the context they started with.
final class TLSContextStore: Sendable {
    private let load: @Sendable () throws -> TLSMaterial
    private let current: Mutex<(context: NIOSSLContext, fingerprint: String)>
    private let logger: Logger
    /// The pair that last failed, so a broken renewal is logged once, not at every check.
    private let failed = Mutex<String?>(nil)

    /// - Parameter load: reads the certificate and key (the operator's files, or those the office authority issues).
    init(logger: Logger, load: @escaping @Sendable () throws -> TLSMaterial) throws {
        self.load = load
        self.logger = logger
        let material = try load()
        current = Mutex((try NIOSSLContext(configuration: material.serverConfiguration()), Self.fingerprint(material)))
    }

    var context: NIOSSLContext { current.withLock { $0.context } }

    /// Reads the files again and swaps the context when they changed. A bad new pair is logged and the
    /// running one kept, so a half-copied renewal never takes the service down.
    @discardableResult
    func reload() -> Bool {
        var fingerprint: String?
        do {
            let material = try load()
            fingerprint = Self.fingerprint(material)
            guard current.withLock({ $0.fingerprint }) != fingerprint, failed.withLock({ $0 }) != fingerprint else {
                return false
            }
            let context = try NIOSSLContext(configuration: material.serverConfiguration())
            current.withLock { $0 = (context, fingerprint!) }
            logger.notice("TLS certificate reloaded; new connections use it")
            return true
        } catch {
            if failed.withLock({ $0 }) != fingerprint || fingerprint == nil {
                logger.error(
                    "the TLS certificate could not be reloaded; the previous one stays in use",
                    metadata: ["error": "\(error)"])
            }
            failed.withLock { $0 = fingerprint }
            return false
        }
    }

    private static func fingerprint(_ material: TLSMaterial) -> String {
        SHA256Hex.of(material.certificatePEM + material.privateKeyPEM)
    }
}

/// Hummingbird's TLS child channel, but taking the context from the store for each connection.
struct ReloadableTLSChannel<BaseChannel: ServerChildChannel>: ServerChildChannel {
    typealias Value = BaseChannel.Value
    let baseChannel: BaseChannel
    let store: TLSContextStore

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: store.context))
        }.flatMap {
            baseChannel.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: BaseChannel.Value, logger: Logger) async {
        await baseChannel.handle(value: value, logger: logger)
    }
}

extension ReloadableTLSChannel: HTTPChannelHandler where BaseChannel: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { baseChannel.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 over TLS with a context that can be replaced while running, and the connection rules of
    /// ``HTTP1ConnectionHandler``.
    static func reloadableTLS(_ configuration: HTTP1Channel.Configuration, store: TLSContextStore) -> HTTPServerBuilder
    {
        .init { responder in
            let http1 = HTTP1ServerChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
            return ReloadableTLSChannel(baseChannel: http1, store: store)
        }
    }
}

/// Reloads the certificate on SIGHUP and when its files change (checked every `interval`). Without TLS
/// (behind a proxy) it still takes SIGHUP, which would otherwise end the process on `systemctl reload`.
struct TLSReloadService: Service {
    let store: TLSContextStore?
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    if let store {
                        store.reload()
                    } else {
                        logger.notice("SIGHUP: serving plain HTTP, no certificate to reload")
                    }
                }
            }
            group.addTask {
                while let store, !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    store.reload()
                }
            }
            // Both loops end with the service (graceful shutdown cancels them).
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
