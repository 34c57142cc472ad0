import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// A real app on a temporary data directory: the same `buildApplication` as `sipas serve`, the real
/// SQL on a real file, the repository's surveys and sample units.
struct TestEnvironment: Sendable {
    /// "Now" for the tests: 29/11/2024 10:00 in Vietnam, when district 875 still exists.
    static let now = Timestamp.parse("2024-11-29T10:00:00+07:00")!

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let directory: String
    let database: SQLiteDatabase
    var configuration: AppConfiguration

    /// A fresh data directory with the sample units imported.
    init(importUnits: Bool = true) throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("sipas-test-\(UUID().uuidString)").path
        configuration = AppConfiguration()
        configuration.dataDirectory = directory
        configuration.surveysDirectory = Self.repository.appendingPathComponent("Surveys").path
        configuration.calendarDirectory = Self.repository.appendingPathComponent("Deploy/calendar").path
        configuration.scoringDirectory = Self.repository.appendingPathComponent("Deploy/scoring").path
        configuration.webDirectory = Self.repository.appendingPathComponent("Web").path
        configuration.tls = .insecureHTTP
        configuration.port = 0
        configuration.logLevel = .warning
        configuration.now = { TestEnvironment.now }
        // The maintenance service runs beside every app under test, and would take a backup at each start (there is
        // none yet): the tests of the daily backup turn it on.
        configuration.backupKeep = 0
        database = try DataDirectory.openDatabase(directory)
        if importUnits {
            _ = try database.importUnits(
                UnitsFile.rows(path: Self.repository.appendingPathComponent("Deploy/sample/units.csv").path))
        }
    }

    /// Imports the sample procedures catalogue.
    func importProcedures() throws {
        _ = try ReferenceImports.procedures(
            path: Self.repository.appendingPathComponent("Deploy/sample/procedures.csv").path, database: database)
    }

    /// A token of the given role and its secret.
    func token(_ role: AccessToken.Role, unit: String?) throws -> String {
        try database.addToken(role: role, unit: unit, label: "test \(role.rawValue)", now: Self.now).key
    }

    /// Registers a device and returns its key.
    func deviceKey(unit: String = "875", desk: String? = "Một cửa 1") throws -> String {
        try database.addDevice(unit: unit, desk: desk, label: "test", now: Self.now).key
    }

    /// The device holding `key`, as the ingest routes name it, read from the database.
    func device(key: String) async throws -> DeviceCredential {
        try #require(try await DeviceKeys(database: database).device(keyHash: SecretKey.hash(key), cached: false))
    }

    /// Runs `body` against the app's router, without a socket. The app shares this environment's open database, so
    /// a test opens the file once; a `configuration` given keeps this data directory.
    func withApp(
        _ configuration: AppConfiguration? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try await buildApplication(configuration ?? self.configuration, database: database)
        try await app.test(.router) { client in try await body(client) }
    }

    /// Removes the data directory.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

// MARK: - Request helpers

extension TestClientProtocol {
    /// POSTs JSON with a bearer key.
    func post(_ uri: String, key: String?, json: String, contentType: String = "application/json") async throws
        -> TestResponse
    {
        var headers: HTTPFields = [.contentType: contentType]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as a JSON object, for a test that reads the raw JSON on purpose (a typed reply is read with
    /// ``decode(_:sourceLocation:)``).
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }

    /// The body as the reply type the handler returns. The value must be the whole answer: written again by the
    /// API's encoder it gives back the very bytes the server sent, so a field the type leaves out, a `null` it
    /// would drop or a key of another name fails the test, and the type is a faithful twin of the JSON.
    func decode<Reply: Codable>(_ type: Reply.Type, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> Reply
    {
        let reply = try JSONDecoder().decode(Reply.self, from: Data(buffer: body))
        let again = String(decoding: try APIJSON.encoder.encode(reply), as: UTF8.self)
        #expect(
            again == text, "\(Reply.self) does not give back the body it was read from", sourceLocation: sourceLocation)
        return reply
    }

    /// The body of an error answer (`application/problem+json`).
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> Problem.Body {
        try decode(Problem.Body.self, sourceLocation: sourceLocation)
    }
}

/// A valid SIPAS response body for commune 30172 under district 875.
func sipasResponse(id: String = UUID().uuidString, answers: String = #"{"a1":5,"a2":4,"s1":3}"#, extra: String = "")
    -> String
{
    #"{"id":"\#(id)","survey":"sipas","surveyVersion":1,"unit":"30172","channel":"desk","answers":\#(answers),"#
        + #""submittedAt":"2024-11-29T09:30:00+07:00"\#(extra)}"#
}
