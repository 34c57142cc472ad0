import Foundation
import GRDB

/// A device as the admin page lists it: the device, when it was last heard from and how busy it is this month.
struct DeviceOverview: FetchableRecord, Sendable {
    /// The columns read besides the device's own, each named once.
    enum Columns {
        static let lastSeenAt = Column("lastSeenAt")
        static let thisMonth = Column("thisMonth")
        static let openCodeExpiresAt = Column("openCodeExpiresAt")
    }

    let device: Device
    /// The latest `receivedAt` of its responses (RFC 3339, UTC): when the server last stored one of them.
    let lastSeenAt: String?
    /// Responses received this calendar month, Vietnam time.
    let thisMonth: Int
    /// When its newest code still usable expires, if one is.
    let openCodeExpiresAt: String?

    init(row: Row) throws {
        device = try Device(row: row)
        lastSeenAt = row[Columns.lastSeenAt]
        thisMonth = row[Columns.thisMonth]
        openCodeExpiresAt = row[Columns.openCodeExpiresAt]
    }
}
