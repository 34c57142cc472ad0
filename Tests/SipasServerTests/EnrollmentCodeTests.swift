import Foundation
import Testing

@testable import SipasServer

@Suite("Enrollment codes: 8 characters of Crockford's base32, typed loosely")
struct EnrollmentCodeTests {
    @Test(
        "a typed code is read case-insensitively, with or without the dash or spaces, O/I/L as 0/1/1",
        arguments: [
            ("K7PQ-2MXD", "K7PQ2MXD"), ("k7pq-2mxd", "K7PQ2MXD"), ("k7pq2mxd", "K7PQ2MXD"), (" K7PQ 2MXD ", "K7PQ2MXD"),
            ("OIL0-1234", "01101234"), ("oilo-ilio", "01101110"),
        ])
    func reads(typed: String, normalised: String) throws {
        let code = try #require(EnrollmentCode(typed: typed))
        #expect(code.normalised == normalised)
        #expect(code.description == "\(normalised.prefix(4))-\(normalised.suffix(4))")
    }

    @Test(
        "anything else is not a code",
        arguments: [
            "", "K7PQ-2MX", "K7PQ-2MXD9", "K7PQ-2MXU", "K7PQ_2MXD", "K7PQ-2MXĐ", "K7PQ–2MXD",
            String(repeating: "A", count: 10_000),
        ])
    func refuses(typed: String) {
        #expect(EnrollmentCode(typed: typed) == nil)
    }

    @Test("a new code is 8 characters of the alphabet, shown XXXX-XXXX, and codes differ")
    func generates() {
        let codes = (0..<200).map { _ in EnrollmentCode.generate() }
        for code in codes {
            #expect(code.normalised.count == 8 && code.normalised.allSatisfy(EnrollmentCode.alphabet.contains))
            #expect(EnrollmentCode(typed: code.description) == code)
            #expect(code.hash.count == 64)
        }
        #expect(Set(codes).count == codes.count)
    }
}
