import Foundation

/// A one-time enrollment code: what an admin reads out, types or shows as a QR code so that a desk tablet or
/// kiosk receives its device key without anyone seeing the key.
///
/// Eight characters of Crockford's base32 (no I, L, O or U, so nothing reads as another character), shown as
/// `XXXX-XXXX`. Typed codes are read case-insensitively, with or without the dash or spaces, and with O, I and L
/// taken as 0, 1 and 1, as Crockford's decoding rule says.
///
/// Why 40 bits are enough: a code lives 15 minutes and is used once, and every request, `POST /v1/enroll` and
/// `/e/CODE` included, passes the per-address limit (`--address-rate`, 50 a second by default, a burst of 5 s worth).
/// One address guessing for a code's whole life tries at most 50 × 900 + 250 = 45,250 codes out of 2⁴⁰ (about
/// 1.1 × 10¹²): with ten codes open at once, the chance of a hit is about 4 in 10 million. Behind a reverse proxy
/// (`--address-rate 0`) the proxy must limit instead.
public struct EnrollmentCode: Sendable, Hashable, CustomStringConvertible {
    /// Crockford's base32 alphabet.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Characters in a code.
    static let length = 8

    /// The code's 8 characters, upper case, without the dash.
    public let normalised: String

    /// A new random code (the system's cryptographic generator).
    public static func generate() -> EnrollmentCode {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return EnrollmentCode(normalised: String(characters))
    }

    /// A typed code, or nil when it cannot be one (wrong length or a character outside the alphabet).
    public init?(typed text: String) {
        var characters: [Character] = []
        for character in text.uppercased() {
            switch character {
            case "-", " ", "\t": continue
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                characters.append(character)
            }
            // A pasted text far longer than a code is refused before it is walked through.
            if characters.count > Self.length { return nil }
        }
        guard characters.count == Self.length else { return nil }
        normalised = String(characters)
    }

    private init(normalised: String) {
        self.normalised = normalised
    }

    /// `XXXX-XXXX`, as shown and printed.
    public var description: String {
        "\(normalised.prefix(4))-\(normalised.suffix(4))"
    }

    /// The stored form: only the SHA-256 is kept, as for device keys.
    var hash: String { SHA256Hex.of(normalised) }
}
