/// Where a response was given: at the one-stop desk's tablet, on a kiosk, or on the web form (link or QR code).
public enum ResponseChannel: String, Codable, Hashable, Sendable, CaseIterable {
    case desk
    case kiosk
    case web
}
