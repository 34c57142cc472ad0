import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Query strings, forms and path parameters as real clients encode them")
struct URLDecodingTests {
    @Test(
        "a form component: + is a space, percent-encoding is UTF-8, the result is NFC",
        arguments: [
            Named("+ for spaces", ("M%E1%BB%99t+c%E1%BB%ADa+1", "Một cửa 1")),
            Named("%20 for spaces", ("M%E1%BB%99t%20c%E1%BB%ADa%201", "Một cửa 1")),
            // "ộ" as o, combining circumflex, combining dot below (NFD): the same text once composed.
            Named("decomposed (NFD)", ("Mo%CC%82%CC%A3t+cu%CC%9B%CC%89a+1", "Một cửa 1")),
            Named("an encoded +", ("a%2Bb", "a+b")),
            Named("an offset with an encoded +", ("2024-11-29T10:00:00%2B07:00", "2024-11-29T10:00:00+07:00")),
            Named("empty", ("", "")),
        ] as [Named<(String, String)>])
    func formComponent(_ example: Named<(String, String)>) throws {
        let (encoded, decoded) = example.value
        let value = try #require(URLEncoding.formComponent(encoded))
        #expect(value == decoded)
        #expect(Array(value.utf8) == Array(decoded.precomposedStringWithCanonicalMapping.utf8), "NFC bytes")
    }

    @Test(
        "broken percent-encoding is refused, not read as something else",
        arguments: [
            Named("a cut UTF-8 sequence", "%E1%BB"), Named("not hex", "%ZZ"), Named("a lone % at the end", "50%"),
        ])
    func brokenComponent(_ example: Named<String>) {
        let encoded = example.value
        #expect(URLEncoding.formComponent(encoded) == nil)
        #expect(URLEncoding.formPairs("unit=875&desk=\(encoded)") == nil)
    }

    @Test("names are decoded too, a pair without = is empty, and in a path + stays a plus")
    func pairsAndPaths() throws {
        let pairs = try #require(URLEncoding.formPairs("d%65sk=M%E1%BB%99t+c%E1%BB%ADa+1&flag&&year=2024"))
        #expect(pairs.map(\.name) == ["desk", "flag", "year"])
        #expect(pairs.map(\.value) == ["Một cửa 1", "", "2024"])
        #expect(URLEncoding.pathSegment("a+b%20c") == "a+b c")
        #expect(URLEncoding.encodeFormComponent("875&desk=Một cửa") == "875%26desk%3DM%E1%BB%99t%20c%E1%BB%ADa")
    }

    /// Every UTF-8 byte of `text` percent-encoded except ASCII letters and digits, spaces as `+`: what an HTML form
    /// or Python's `requests` sends.
    static func formEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: " "): "+"
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"):
                String(UnicodeScalar(byte))
            default: String(format: "%%%02X", byte)
            }
        }.joined()
    }

    @Test(
        "a desk filter counts the same respondents sent with %20, with + (Python requests) and in NFD; on compare too")
    func deskFilter() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        let desk = "Một cửa 1"
        let decomposed = desk.decomposedStringWithCanonicalMapping
        #expect(Array(decomposed.utf8) != Array(desk.utf8), "the NFD form is other bytes")
        let spellings = ["M%E1%BB%99t%20c%E1%BB%ADa%201", "M%E1%BB%99t+c%E1%BB%ADa+1", Self.formEncoded(decomposed)]
        #expect(Self.formEncoded(desk) == spellings[1])
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            for spelling in spellings {
                let index = try await client.get("/v1/index?unit=875&year=2024&desk=\(spelling)", token: fixture.admin)
                #expect(index.status == .ok, "\(spelling): \(index.text)")
                let json = try index.decode(IndexController.Reply.self)
                // Every 2024 response of the fixture came from the device at this desk.
                #expect(json.respondents == 55, "\(spelling)")
                #expect(json.filters.desk == desk, "\(spelling)")

                let halves = "from1=2024-01-01&to1=2024-06-30&from2=2024-07-01&to2=2024-12-31"
                let compare = try await client.get(
                    "/v1/index/compare?unit=875&\(halves)&desk=\(spelling)", token: fixture.admin
                ).decode(IndexController.Comparison.self)
                let first = compare.first.respondents ?? 0
                let second = compare.second.respondents ?? 0
                #expect(first > 0 && first + second == 55, "\(spelling)")
            }
            // A desk whose name has a real plus is sent as %2B: no such desk here.
            let plus = try await client.get(
                "/v1/index?unit=875&year=2024&desk=M%E1%BB%99t%2Bc%E1%BB%ADa%2B1", token: fixture.admin)
            #expect(try plus.decode(IndexController.Reply.self).respondents == 0)
            let broken = try await client.get("/v1/index?unit=875&year=2024&desk=M%E1%BB", token: fixture.admin)
            #expect(broken.status == .badRequest)
            #expect(broken.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("path parameters are percent-decoded; an offset's + in the audit's since must be %2B and the refusal says so")
    func pathAndAudit() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { client in
            let survey = try await client.execute(uri: "/v1/surveys/%73ipas", method: .get)
            #expect(survey.status == .ok)
            #expect(try survey.decode(SurveyDefinition.self).id == "sipas")
            #expect(try await client.execute(uri: "/v1/surveys/%73ipas/versions/%31", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v1/surveys/%E1%BB", method: .get).status == .badRequest)

            let headers: HTTPFields = [.authorization: "Bearer \(admin)"]
            let encoded = try await client.execute(
                uri: "/v1/audit?since=2024-11-29T00%3A00%3A00%2B07%3A00", method: .get, headers: headers)
            #expect(encoded.status == .ok, "\(encoded.text)")
            let raw = try await client.execute(
                uri: "/v1/audit?since=2024-11-29T00:00:00+07:00", method: .get, headers: headers)
            #expect(raw.status == .unprocessableContent)
            #expect(raw.text.contains("%2B"))
        }
    }
}
