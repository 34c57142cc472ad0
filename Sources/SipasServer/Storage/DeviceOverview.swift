import Foundation

/// A device as the admin page lists it: the device, when it was last heard from and how busy it is this month.
struct DeviceOverview: Sendable {
    let device: Device
    /// The latest `receivedAt` of its responses (RFC 3339, UTC): when the server last stored one of them.
    let lastSeenAt: String?
    /// Responses received this calendar month, Vietnam time.
    let thisMonth: Int
    /// When its newest code still usable expires, if one is.
    let openCodeExpiresAt: String?
}
