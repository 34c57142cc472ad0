/// Where a device stands, as the admin page of devices shows it.
public enum DeviceStatus: String, Sendable {
    /// Holds a key that works.
    case active
    /// Its key stopped working and its codes were voided.
    case revoked
    /// Registered or re-keyed for enrollment: no key works until a code is redeemed.
    case awaitingEnrollment
}
