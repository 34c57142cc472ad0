import Foundation
import Prometheus

/// What `GET /metrics` shows, in the Prometheus text format (swift-prometheus). One registry per app
/// (not the process-wide swift-metrics bootstrap), so every app the tests build counts on its own.
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let databasePath: String
    /// Responses waiting for a commit.
    let writeQueueDepth: Gauge
    /// How long a group commit takes, from the transaction's start to its sync.
    let commitLatency: DurationHistogram
    private let databaseBytes: Gauge
    /// Made once: they are counted on the ingest path, where a registry lookup per response would show.
    private let responses: [String: Counter]
    private let refusals: [String: Counter]

    init(databasePath: String) {
        self.databasePath = databasePath
        writeQueueDepth = registry.makeGauge(name: "sipas_write_queue_depth", help: "Responses waiting for a commit")
        commitLatency = registry.makeDurationHistogram(
            name: "sipas_commit_duration_seconds",
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ],
            help: "Duration of a group commit of responses, including the sync to disk")
        databaseBytes = registry.makeGauge(
            name: "sipas_database_bytes", help: "Size of the SQLite database with its WAL")
        let registry = registry
        responses = Dictionary(
            uniqueKeysWithValues: ["created", "replayed", "conflict", "invalid"].map { result in
                (
                    result,
                    registry.makeCounter(
                        name: "sipas_responses_total", labels: [("result", result)],
                        help: "Submitted responses by result")
                )
            })
        refusals = Dictionary(
            uniqueKeysWithValues: ["queue_full", "commit_failed", "device_rate", "address_rate"].map { reason in
                (
                    reason,
                    registry.makeCounter(
                        name: "sipas_requests_refused_total", labels: [("reason", reason)],
                        help: "Requests refused by load protection")
                )
            })
    }

    /// One HTTP request, by matched route (never the raw path, which may hold a ticket) and status.
    func request(method: String, route: String, status: Int) {
        registry.makeCounter(
            name: "sipas_http_requests_total",
            labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests by route and status"
        ).increment()
    }

    /// One submitted response: `created`, `replayed`, `conflict` or `invalid`.
    func response(_ result: String) {
        responses[result]?.increment()
    }

    /// A request refused before its responses were looked at: `queue_full`, `commit_failed`,
    /// `device_rate`, `address_rate`.
    func refused(_ reason: String, requests: Int = 1) {
        refusals[reason]?.increment(by: Int64(requests))
    }

    /// The exposition text, with the database size read now.
    func exposition() -> String {
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        databaseBytes.set(Double(size))
        return registry.emitToString()
    }
}
