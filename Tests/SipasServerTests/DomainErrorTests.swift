import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Errors of the domain leave a handler as their 4xx, mapped in ProblemMiddleware")
struct DomainErrorTests {
    /// What each kind of SipasDomain error becomes when a handler throws it, with a detail naming the problem.
    static let kinds: [(kind: String, status: HTTPResponse.Status, detail: String)] = [
        ("invalid", .unprocessableContent, "unit: unknown unit '99999'"),
        ("field", .unprocessableContent, "year: '20x4' is not a year"),
        ("import", .unprocessableContent, "line 3: level 'hamlet' is not province, district or commune"),
        ("calendar", .unprocessableContent, "no working calendar for 2300"),
        // A stuffing setting is the operator's, refused at start-up: reaching a request, it is the server's fault.
        ("setting", .internalServerError, "the server could not complete the request"),
    ]

    @Test("each kind thrown from a route of the real router", arguments: kinds.map(\.kind))
    func thrownFromARoute(_ kind: String) async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let router = try await buildRouter(env.configuration, database: env.database, logger: Logger(label: "test"))
        let calendar = try ReferenceData.load(
            calendarDirectory: env.configuration.calendarDirectory, scoringDirectory: env.configuration.scoringDirectory
        ).calendar
        router.get("/test/throw/:kind") { _, context -> String in
            switch try context.parameters.require("kind") {
            case "invalid": throw InvalidInput([FieldProblem(field: "unit", message: "unknown unit '99999'")])
            case "field": throw FieldProblem(field: "year", message: "'20x4' is not a year")
            case "import":
                throw ImportRefused([
                    LineProblem(line: 3, message: "level 'hamlet' is not province, district or commune")
                ])
            case "calendar": _ = try calendar.isWorkingDay(LocalDate(year: 2300, month: 1, day: 2)!)
            case "setting":
                var thresholds = StuffingThresholds()
                thresholds.identicalRun = 1
                _ = try StuffingRules(thresholds)
            default: break
            }
            return "not thrown"
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let expected = try #require(Self.kinds.first { $0.kind == kind })
        try await app.test(.router) { client in
            let answer = try await client.execute(uri: "/test/throw/\(kind)", method: .get)
            #expect(answer.status == expected.status, "\(kind): \(answer.text)")
            #expect(answer.headers[.contentType] == "application/problem+json")
            #expect(try answer.problem().detail.contains(expected.detail), "\(answer.text)")
        }
    }

    @Test(
        "requests whose parameters the domain refuses get 422 naming the parameter, on every figures endpoint",
        arguments: [
            "/v1/index?unit=875&from=2024-02-30", "/v1/index/compare?unit=875&year1=2024&to2=2024-13-01",
            "/v1/export/responses.csv?unit=875&year=24", "/v1/timeliness?unit=875&asOf=tomorrow",
            "/v1/coverage?unit=875&from=x",
            "/v1/flags?from=2024-1-1", "/v1/scorecard?unit=875&year=MMXXIV",
        ])
    func parametersThroughTheApp(_ uri: String) async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let answer = try await client.get(uri, token: admin)
            #expect(answer.status == .unprocessableContent, "\(uri): \(answer.text)")
            let body = try answer.problem()
            let field = try #require(body.errors?.first?.field)
            #expect(uri.contains("\(field)="), "\(uri): \(answer.text)")
            #expect(body.detail.hasPrefix("\(field): '"), "\(answer.text)")
        }
    }
}
