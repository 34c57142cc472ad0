import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Survey definitions: the API and publication")
struct SurveysAPITests {
    @Test("the surveys are listed, and their items are reachable as elements[].items[].id")
    func definitions() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { client in
            let list = try await client.execute(uri: "/v1/surveys", method: .get)
            #expect(list.status == .ok)
            let surveys = try list.decode(SurveysController.SurveyList.self).surveys
            #expect(surveys.map(\.id) == ["quick", "sipas"])

            let sipas = try await client.execute(uri: "/v1/surveys/sipas", method: .get).decode(SurveyDefinition.self)
            let items = sipas.elements.flatMap(\.items).map(\.id)
            #expect(items.count == 19)
            #expect(Set(items).count == 19)

            #expect(try await client.execute(uri: "/v1/surveys/sipas/versions/1", method: .get).status == .ok)
            let missing = try await client.execute(uri: "/v1/surveys/sipas/versions/9", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(try missing.problem().status == 404)
            #expect(try await client.execute(uri: "/v1/surveys/nope", method: .get).status == .notFound)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try health.decode(HealthController.Reply.self) == .init(status: "ok"))
        }
    }

    /// A copy of the bundled surveys in a temporary folder, to edit.
    static func surveysCopy() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-surveys-\(UUID().uuidString)")
            .path
        try FileManager.default.copyItem(
            atPath: TestEnvironment.repository.appendingPathComponent("Surveys").path, toPath: folder)
        return folder
    }

    @Test(
        "a published version whose file changed stops the start and says to raise the version; reformatting is no change"
    )
    func immutableVersions() async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        let folder = try Self.surveysCopy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        env.configuration.surveysDirectory = folder
        // Each start publishes the files as they then are: the starts are the point, on the one open database.
        _ = try await buildApplication(env.configuration, database: env.database)

        let file = folder + "/quick.v1.json"
        let original = try String(contentsOfFile: file, encoding: .utf8)
        // Same content, other formatting: still the same published version.
        let object = try JSONSerialization.jsonObject(with: Data(original.utf8))
        try JSONSerialization.data(withJSONObject: object, options: []).write(to: URL(fileURLWithPath: file))
        _ = try await buildApplication(env.configuration, database: env.database)

        try original.replacingOccurrences(of: "Rất hài lòng", with: "Rất là hài lòng").write(
            toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try await buildApplication(env.configuration, database: env.database)
            Issue.record("the changed version was accepted")
        } catch let error as OperatorError {
            #expect(error.description.contains("quick.v1.json"))
            #expect(error.description.contains("raise"))
        }

        // Raising the version publishes it beside the old one, which stays usable.
        try original.replacingOccurrences(of: "Rất hài lòng", with: "Rất là hài lòng")
            .replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await buildApplication(env.configuration, database: env.database)
        let catalog = try await env.database.surveyCatalog()
        #expect(catalog.versions(of: "quick") == [1, 2])
        #expect(catalog.current("quick")?.version == 2)
    }

    static let badFiles: [(String, String)] = [
        ("not JSON", "{"),
        (
            "missing scale",
            #"{"id":"x","version":1,"title":{"vi":"a","en":"b"},"aggregation":{"item":"satisfiedShare","element":"mean","overall":"mean"},"elements":[]}"#
        ),
        (
            "duplicate item",
            #"{"id":"x","version":1,"title":{"vi":"a","en":"b"},"scale":{"points":[{"value":1,"label":{"vi":"a","en":"b"}},{"value":2,"label":{"vi":"a","en":"b"}}],"satisfied":[2]},"aggregation":{"item":"satisfiedShare","element":"mean","overall":"mean"},"elements":[{"id":"e","title":{"vi":"a","en":"b"},"items":[{"id":"i","text":{"vi":"a","en":"b"}},{"id":"i","text":{"vi":"a","en":"b"}}]}]}"#
        ),
    ]

    @Test(
        "a bad survey file stops the start with a message naming the file", arguments: badFiles.map { Named($0.0, $0) })
    func badFile(_ example: Named<(String, String)>) async throws {
        let (name, text) = example.value
        var env = try TestEnvironment()
        defer { env.remove() }
        let folder = try Self.surveysCopy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/broken.json", atomically: true, encoding: .utf8)
        env.configuration.surveysDirectory = folder
        do {
            _ = try await buildApplication(env.configuration, database: env.database)
            Issue.record("\(name): accepted")
        } catch let error as OperatorError {
            #expect(error.description.contains("broken.json"), "\(error)")
        }
    }
}
