import Crypto
import Foundation

/// SHA-256 as lower-case hex, the form stored for key hashes, survey digests, content hashes and the chain.
/// (Not named `Digest`, which would hide swift-crypto's protocol of that name.)
enum SHA256Hex {
    /// The SHA-256 of the text's UTF-8 bytes, 64 lower-case hex digits.
    static func of(_ text: String) -> String {
        of(Data(text.utf8))
    }

    /// The SHA-256 of `data`, 64 lower-case hex digits.
    static func of(_ data: Data) -> String {
        hex(Array(SHA256.hash(data: data)))
    }

    /// Lower-case hex of some bytes; a few of these run for every response stored, so no string per byte.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
