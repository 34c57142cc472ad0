import Foundation

/// Bearer keys for devices and tokens: 256 random bits, shown once, stored only as a SHA-256 hash.
///
/// A plain (fast) hash is enough here: the keys are random and long, so there is nothing to guess from
/// the hash, unlike a password.
public enum SecretKey {
    /// What the key authenticates; the prefix makes a leaked key recognisable in logs and scanners.
    public enum Kind: String, Sendable {
        case device = "sipas_dev_"
        case token = "sipas_tok_"
    }

    /// A new random key.
    public static func generate(_ kind: Kind) -> String {
        kind.rawValue + randomToken()
    }

    /// 256 random bits as URL-safe text (tickets, sessions, CSRF secrets).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a key.
    public static func hash(_ key: String) -> String {
        SHA256Hex.of(key)
    }
}
