import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("Who is asking: one credential, read once")
struct PrincipalTests {
    /// A header and the refusal it gets on a figures endpoint.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let headers: [String]
        let status: HTTPResponse.Status
        let detail: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no header", headers: [], status: .unauthorized, detail: "missing Authorization header"),
        Case(
            name: "not Bearer", headers: ["Basic abc"], status: .unauthorized,
            detail: "the Authorization header must be Bearer <key>"),
        Case(
            name: "an unknown key", headers: ["Bearer sipas_tok_nothing"], status: .unauthorized,
            detail: "the token is unknown or has been revoked"),
        // Which of two keys was meant cannot be known, as with a repeated query parameter: neither is used.
        Case(
            name: "two headers, both valid", headers: ["ADMIN", "ADMIN"], status: .unauthorized,
            detail: "send one Authorization header, not 2"),
        Case(
            name: "a device key", headers: ["DEVICE"], status: .forbidden,
            detail: "device keys cannot read figures; use an official's token"),
    ]

    @Test("each credential problem on /v1/index is named, 401 or 403", arguments: cases)
    func refused(_ example: Case) async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil), device = try env.deviceKey()
        try await env.withApp { (client: any TestClientProtocol) async throws in
            var headers = HTTPFields()
            for header in example.headers {
                let value = header.replacingOccurrences(of: "ADMIN", with: "Bearer \(admin)")
                    .replacingOccurrences(of: "DEVICE", with: "Bearer \(device)")
                headers.append(HTTPField(name: .authorization, value: value))
            }
            let answer = try await client.execute(uri: "/v1/index?unit=875&year=2024", method: .get, headers: headers)
            #expect(answer.status == example.status)
            let detail = try answer.problem().detail
            #expect(detail.contains(example.detail), "\(detail)")
        }
    }
}
