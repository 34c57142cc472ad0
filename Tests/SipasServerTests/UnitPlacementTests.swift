import Foundation
import HummingbirdTesting
import Testing

@testable import SipasServer

@Suite("One placement rule for responses, dossiers and tickets: in force on the date, within the sender's unit")
struct UnitPlacementTests {
    /// What is sent, by whom, and the words of the refusal of its unit.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        /// The sender: a device of 875 or an integration token of 875.
        let asDevice: Bool
        let body: String
        let refusal: String
        var testDescription: String { name }
    }

    static let outside = "30220"  // Xã Tân Phước, of district 876, not under Huyện Lấp Vò (875)

    static let cases: [Case] = [
        Case(
            name: "a response for a commune of another district", path: "/v1/responses", asDevice: true,
            body: sipasResponse().replacingOccurrences(of: #""unit":"30172""#, with: #""unit":"\#(outside)""#),
            refusal: "is outside this device's unit 875 and the units under it"),
        Case(
            name: "a response for a commune on a date before it existed", path: "/v1/responses", asDevice: true,
            body: sipasResponse().replacingOccurrences(of: "2024-11-29T09:30:00", with: "1999-11-29T09:30:00"),
            refusal: "unit 30172 is not in force on 1999-11-29, the local date of submittedAt"),
        Case(
            name: "a response for a unit nobody knows", path: "/v1/responses", asDevice: true,
            body: sipasResponse().replacingOccurrences(of: #""unit":"30172""#, with: #""unit":"99999""#),
            refusal: "unknown unit '99999'"),
        Case(
            name: "a dossier of a commune of another district", path: "/v1/dossiers", asDevice: false,
            body: #"{"dossiers":[\#(dossierJSON("P-1", unit: outside))]}"#,
            refusal: "is outside this token's unit 875"),
        Case(
            name: "a dossier received before its commune existed", path: "/v1/dossiers", asDevice: false,
            body: #"{"dossiers":[\#(dossierJSON("P-2", received: "1999-03-04T09:00:00+07:00"))]}"#,
            refusal: "unit 30172 is not in force on 1999-03-04, the local date of receivedAt"),
        Case(
            name: "a ticket for a commune of another district", path: "/v1/tickets", asDevice: true,
            body: #"{"dossier":"P-3","unit":"\#(outside)"}"#,
            refusal: "is outside the issuer's unit 875 and the units under it"),
    ]

    @Test("each intake refuses a unit outside its sender's, or not in force, with the same words", arguments: cases)
    func refused(_ example: Case) async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try env.importProcedures()
        let key = example.asDevice ? try env.deviceKey() : try env.token(.integration, unit: "875")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let answer = try await client.post(example.path, key: key, json: example.body)
            #expect(answer.text.contains(example.refusal), "\(answer.status) \(answer.text)")
            #expect(answer.status == .unprocessableContent || answer.status == .ok)
        }
    }
}
