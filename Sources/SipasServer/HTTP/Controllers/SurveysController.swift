import Hummingbird
import SipasDomain

/// The published survey definitions; public, since kiosks and forms render from them.
struct SurveysController {
    let catalog: SurveyCatalog

    /// A survey as the list names it: its current version and every version stored.
    struct SurveySummary: Codable {
        let id: String
        let version: Int
        let title: LocalizedText
        let versions: [Int]
    }

    /// The answer of `GET /v1/surveys`.
    struct SurveyList: ResponseCodable {
        let surveys: [SurveySummary]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/surveys") { _, _ in
            let summaries = catalog.surveyIDs.compactMap { id in
                catalog.current(id).map {
                    SurveySummary(id: id, version: $0.version, title: $0.title, versions: catalog.versions(of: id))
                }
            }
            return SurveyList(surveys: summaries)
        }
        router.get("/v1/surveys/:survey") { _, context in
            let id = try context.pathParameter("survey")
            guard let definition = catalog.current(id) else { throw Self.unknown(id) }
            return definition
        }
        router.get("/v1/surveys/:survey/versions/:version") { _, context in
            let id = try context.pathParameter("survey")
            let text = try context.pathParameter("version")
            guard let version = Int(text) else {
                throw Problem(status: .notFound, detail: "'\(text)' is not a version number")
            }
            guard catalog.current(id) != nil else { throw Self.unknown(id) }
            guard let definition = catalog.definition(id, version: version) else {
                throw Problem(
                    status: .notFound,
                    detail:
                        "survey \(id) has no version \(version) (stored: \(catalog.versions(of: id).map(String.init).joined(separator: ", ")))"
                )
            }
            return definition
        }
    }

    private static func unknown(_ id: String) -> Problem {
        Problem(status: .notFound, detail: "unknown survey '\(id)'")
    }
}

/// A definition is answered as it is: the same JSON its file gives, keys sorted.
extension SurveyDefinition: ResponseEncodable {}
