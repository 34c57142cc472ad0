import Foundation
import Synchronization

/// Token buckets keyed by who is asking (a device, a client address): each key may make `rate` requests
/// a second on average, and up to `burst` at once after a quiet spell.
///
/// Memory stays bounded: when the table grows past `maximumKeys`, buckets that have refilled completely
/// (keys that have been quiet) are dropped, since a full bucket is the same as no bucket; if most keys are
/// still busy, the table starts over.
final class RateLimiter: Sendable {
    /// Tokens left and when they were last counted.
    private struct Bucket {
        var tokens: Double
        var updated: TimeInterval
    }

    let rate: Double
    let burst: Double
    private let maximumKeys: Int
    private let clock: @Sendable () -> TimeInterval
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameters:
    ///   - rate: sustained requests per second; 0 or less means no limit.
    ///   - burstSeconds: how many seconds' worth of requests may come at once.
    init(
        rate: Double, burstSeconds: Double = 5, maximumKeys: Int = 100_000,
        clock: @escaping @Sendable () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }
    ) {
        self.rate = rate
        self.burst = max(1, (rate * burstSeconds).rounded(.up))
        self.maximumKeys = maximumKeys
        self.clock = clock
    }

    var isEnabled: Bool { rate > 0 }

    /// Takes one token for `key`. Returns nil when the request may go ahead, or the whole seconds to wait
    /// before the next token (for `Retry-After`).
    func admit(_ key: String) -> Int? {
        guard isEnabled else { return nil }
        let now = clock()
        return buckets.withLock { table -> Int? in
            var bucket = table[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            defer {
                table[key] = bucket
                if table.count > maximumKeys {
                    Self.dropFull(&table, now: now, rate: rate, burst: burst, maximumKeys: maximumKeys)
                }
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private static func dropFull(
        _ table: inout [String: Bucket], now: TimeInterval, rate: Double, burst: Double, maximumKeys: Int
    ) {
        table = table.filter { _, bucket in bucket.tokens + (now - bucket.updated) * rate < burst }
        // More keys than that, all busy, is a flood from many addresses, which per-key buckets cannot stop
        // anyway; starting over keeps the sweep from running again on every request.
        if table.count > maximumKeys / 2 { table.removeAll(keepingCapacity: true) }
    }
}

extension Problem {
    /// 429 for a client over its limit.
    static func tooManyRequests(_ who: String, retryAfter: Int) -> Problem {
        Problem(
            status: .tooManyRequests, detail: "\(who) is sending faster than allowed; retry after \(retryAfter) s",
            headers: [.retryAfter: String(retryAfter)])
    }
}
