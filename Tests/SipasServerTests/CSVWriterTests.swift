import Testing

@testable import SipasServer

@Suite("CSV neutralisation")
struct CSVWriterTests {
    /// Deterministic random strings over an alphabet rich in the characters that matter.
    static func strings(count: Int) -> [String] {
        let alphabet = Array("=+-@\t\r\n,\"' aĂâđêôơưỹ0123456789;:|")
        var state: UInt64 = 20_241_129
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in String((0..<next(12)).map { _ in alphabet[next(alphabet.count)] }) }
    }

    @Test("property: any text round-trips through RFC 4180, and no cell reaches a spreadsheet starting a formula")
    func roundTrip() throws {
        let values =
            Self.strings(count: 2_000) + [
                "=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "\r\n=1", "", "Huyện Lấp Vò", "a\r\nb",
            ]
        var writer = CSVWriter()
        for pair in stride(from: 0, to: values.count - 1, by: 2) { writer.row([values[pair], values[pair + 1]]) }
        #expect(writer.text.hasPrefix("\u{FEFF}"))
        let records = try CSVReader.parse(writer.text)
        var index = 0
        for record in records {
            #expect(record.fields.count == 2)
            for field in record.fields {
                let original = values[index]
                let dangerous = original.unicodeScalars.first.map { CSVWriter.formulaStarts.contains($0) } ?? false
                #expect(field == (dangerous ? "'" + original : original))
                #expect(!(field.unicodeScalars.first.map { CSVWriter.formulaStarts.contains($0) } ?? false))
                index += 1
            }
        }
        #expect(index == values.count - values.count % 2)
    }
}
