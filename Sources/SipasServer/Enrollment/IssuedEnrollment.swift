import Foundation

/// An enrollment code just issued for a device: the only moment the code exists outside the person it is
/// shown to (the database keeps its SHA-256).
public struct IssuedEnrollment: Sendable {
    /// How long a code stays usable.
    public static let lifetime: TimeInterval = 15 * 60

    public let code: EnrollmentCode
    public let device: Device
    public let expiresAt: Date

    /// The link a tablet opens: `<base>/e/XXXX-XXXX`.
    public func link(base: String) -> String {
        "\(base)/e/\(code)"
    }
}
