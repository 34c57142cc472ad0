import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import SipasServer

@Suite("Rate limits")
struct RateLimitTests {
    /// A clock the test moves.
    final class ManualClock: Sendable {
        private let seconds = Mutex<TimeInterval>(1_000)
        func advance(_ by: TimeInterval) { seconds.withLock { $0 += by } }
        var now: TimeInterval { seconds.withLock { $0 } }
    }

    @Test("a bucket allows its burst, then one request per 1/rate seconds, and says how long to wait")
    func tokenBucket() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 2, burstSeconds: 5, clock: { clock.now })
        let burst = (0..<10).map { _ in limiter.admit("a") }
        #expect(burst.allSatisfy { $0 == nil })
        #expect(limiter.admit("a") == 1)
        #expect(limiter.admit("b") == nil, "another key has its own bucket")
        clock.advance(0.5)
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == 1)
        clock.advance(60)
        #expect(
            (0..<10).map { _ in limiter.admit("a") }.allSatisfy { $0 == nil },
            "a quiet key gets its whole burst back, no more")
        #expect(limiter.admit("a") != nil)
    }

    @Test("a slow rate asks for a longer wait; rate 0 never limits")
    func waitsAndOff() {
        let clock = ManualClock()
        let slow = RateLimiter(rate: 0.1, burstSeconds: 10, clock: { clock.now })
        #expect(slow.admit("a") == nil)
        #expect(slow.admit("a") == 10)
        let off = RateLimiter(rate: 0)
        #expect((0..<1_000).allSatisfy { _ in off.admit("a") == nil })
    }

    @Test("the table of keys stays bounded: quiet keys are dropped")
    func bounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 1, burstSeconds: 1, maximumKeys: 100, clock: { clock.now })
        for key in 0..<100 { _ = limiter.admit("k\(key)") }
        clock.advance(10)
        _ = limiter.admit("new")
        // "k0" was dropped with its full bucket; it starts over with the whole burst, as it would have anyway.
        #expect(limiter.admit("k0") == nil)
        #expect(limiter.admit("k0") == 1)
    }

    @Test("more keys than the table holds, all busy, start the table over instead of sweeping on every request")
    func floodOfKeys() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 1, burstSeconds: 1, maximumKeys: 100, clock: { clock.now })
        #expect(limiter.admit("k0") == nil)
        #expect(limiter.admit("k0") == 1)
        for key in 1...100 { _ = limiter.admit("k\(key)") }
        #expect(limiter.admit("k0") == nil, "k0 starts over with a full bucket")
    }

    @Test("a device far above its rate gets 429 with Retry-After; another device's requests keep succeeding")
    func deviceFlood() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let flooder = try env.deviceKey(desk: "Một cửa 1")
        let neighbour = try env.deviceKey(desk: "Một cửa 2")
        var configuration = env.configuration
        configuration.deviceRate = 1
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: Set<String?> = []
            let started = ContinuousClock.now
            for number in 0..<30 {
                let response = try await client.post(
                    "/v1/responses", key: flooder, json: sipasResponse(id: GroupCommitTests.uuid(number)))
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    retryAfter.insert(response.headers[.retryAfter])
                    #expect(try !response.problem().detail.isEmpty)
                }
                if number % 10 == 0 {
                    let other = try await client.post(
                        "/v1/responses", key: neighbour, json: sipasResponse(id: GroupCommitTests.uuid(1_000 + number)))
                    #expect(other.status == .created)
                }
            }
            // The burst is 5 s worth at 1/s, and the bucket refills 1 a second while the loop runs (each accepted
            // response waits for a synced commit, so a loaded machine takes longer): no more can pass than that.
            let elapsed = (ContinuousClock.now - started).components.seconds + 1
            let created = statuses.filter { $0 == .created }.count
            #expect(created >= 5)
            #expect(created <= 5 + Int(elapsed) + 1, "\(created) accepted in \(elapsed) s")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 30 - created)
            #expect(retryAfter == ["1"])
        }
    }
}
