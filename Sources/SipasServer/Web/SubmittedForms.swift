import Foundation
import Synchronization

/// The register forms already sent, by the one-time id each page carries, so that reloading the page that shows
/// an enrollment code (the browser sends the form again) does not register a second device.
///
/// Kept in memory for an hour: a reload comes within minutes, and after a restart the form's page is gone anyway
/// (its session CSRF secret still holds, but an old form sent again after an hour is a deliberate act).
final class SubmittedForms: Sendable {
    /// What a form id stands for: being handled, or the device it registered.
    enum Claim: Sendable, Equatable {
        case claimed
        case alreadySent(device: Int64?)
    }

    private let sent = Mutex<[String: (device: Int64?, at: Date)]>([:])
    private let lifetime: TimeInterval = 3600

    /// Claims `id` for this request; a second claim of the same id gets what the first one registered (nil
    /// while the first is still being handled).
    func claim(_ id: String, now: Date) -> Claim {
        sent.withLock { sent in
            sent = sent.filter { now.timeIntervalSince($0.value.at) < lifetime }
            if let earlier = sent[id] { return .alreadySent(device: earlier.device) }
            sent[id] = (nil, now)
            return .claimed
        }
    }

    /// Records the device the form registered.
    func registered(_ id: String, device: Int64, now: Date) {
        sent.withLock { $0[id] = (device, now) }
    }

    /// Gives the id back: the form was refused (a typing error) and may be corrected and sent again.
    func release(_ id: String) {
        sent.withLock { _ = $0.removeValue(forKey: id) }
    }
}
