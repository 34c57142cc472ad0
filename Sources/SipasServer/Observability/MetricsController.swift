import Foundation
import Hummingbird

/// `GET /metrics` for Prometheus: from the server itself (loopback), or with an admin token.
struct MetricsController {
    let metrics: AppMetrics
    let database: AppDatabase
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics") { request, context in
            let loopback =
                context.remoteAddress.map { address in
                    address.ipAddress == "127.0.0.1" || address.ipAddress == "::1"
                } ?? false
            if !loopback {
                try context.requireAdmin(for: "/metrics (from another machine)")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
