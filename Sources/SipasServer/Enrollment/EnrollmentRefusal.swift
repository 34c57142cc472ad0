import Hummingbird

/// Why an enrollment code cannot be redeemed. Redeeming decides this inside its one UPDATE; the kinds only
/// tell the person holding the code what to do next.
public enum EnrollmentRefusal: Error, Sendable, Equatable {
    /// No code was ever issued with this text (or it is not a code at all).
    case unknown
    /// Its 15 minutes are over.
    case expired
    /// It was redeemed already: a code signs in one device once.
    case used
    /// A newer code was issued for the device, its key was replaced, or the device was revoked.
    case voided

    /// 404 for a code never issued, 410 for one that existed and no longer works.
    var status: HTTPResponse.Status { self == .unknown ? .notFound : .gone }

    /// The key of the page text (`Web/strings.json`) saying so.
    var textKey: String {
        switch self {
        case .unknown: "enrollUnknown"
        case .expired: "enrollExpired"
        case .used: "enrollUsed"
        case .voided: "enrollVoided"
        }
    }

    /// What the API's problem says.
    var detail: String {
        switch self {
        case .unknown: "no enrollment code has this value; check it, or ask the administrator for a new one"
        case .expired: "the enrollment code has expired (codes last 15 minutes); ask the administrator for a new one"
        case .used: "the enrollment code has been used already (a code enrolls one device once); ask for a new one"
        case .voided:
            "the enrollment code no longer works: a newer code was issued for the device, or the device was revoked"
        }
    }
}
