import Foundation
import Testing

@testable import SipasServer

@Suite("Enrollment codes: 8 characters of Crockford's base32, typed loosely")
struct EnrollmentCodeTests {
    @Test(
        "a typed code is read case-insensitively, with or without the dash or spaces, O/I/L as 0/1/1",
        arguments: [
            Named("as shown", ("K7PQ-2MXD", "K7PQ2MXD")), Named("lower case", ("k7pq-2mxd", "K7PQ2MXD")),
            Named("without the dash", ("k7pq2mxd", "K7PQ2MXD")), Named("with spaces", (" K7PQ 2MXD ", "K7PQ2MXD")),
            Named("O, I and L for 0, 1 and 1", ("OIL0-1234", "01101234")),
            Named("o, i and l, lower case", ("oilo-ilio", "01101110")),
        ] as [Named<(String, String)>])
    func reads(_ example: Named<(String, String)>) throws {
        let (typed, normalised) = example.value
        let code = try #require(EnrollmentCode(typed: typed))
        #expect(code.normalised == normalised)
        #expect(code.description == "\(normalised.prefix(4))-\(normalised.suffix(4))")
    }

    @Test(
        "anything else is not a code",
        arguments: [
            Named("empty", ""), Named("7 characters", "K7PQ-2MX"), Named("9 characters", "K7PQ-2MXD9"),
            Named("U, not in the alphabet", "K7PQ-2MXU"), Named("an underscore", "K7PQ_2MXD"),
            Named("a Vietnamese Đ", "K7PQ-2MXĐ"), Named("an en dash", "K7PQ–2MXD"),
            Named("10,000 characters", String(repeating: "A", count: 10_000)),
        ])
    func refuses(_ example: Named<String>) {
        #expect(EnrollmentCode(typed: example.value) == nil)
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
