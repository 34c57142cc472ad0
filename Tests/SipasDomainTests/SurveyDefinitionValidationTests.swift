import Foundation
import Testing

@testable import SipasDomain

@Suite("Survey definition validation")
struct SurveyDefinitionValidationTests {
    @Test("a well-formed definition has no problems")
    func wellFormed() {
        #expect(Fixtures.survey().problems().isEmpty)
        #expect(Fixtures.quick().problems().isEmpty)
    }

    /// Each case breaks one rule and names the path the problem must point at.
    static let cases: [(String, @Sendable (inout SurveyDefinition) -> Void, String)] = [
        ("empty id", { $0.id = "" }, "id"),
        ("id with a space", { $0.id = "my survey" }, "id"),
        ("version 0", { $0.version = 0 }, "version"),
        ("empty Vietnamese title", { $0.title.vi = "  " }, "title.vi"),
        ("empty English title", { $0.title.en = "" }, "title.en"),
        ("duplicate scale value", { $0.scale.points[1].value = 1 }, "scale.points[1].value"),
        (
            "one-point scale",
            {
                $0.scale.points = [$0.scale.points[0]]; $0.scale.satisfied = [1]
            }, "scale.points"
        ),
        ("empty scale label", { $0.scale.points[2].label.en = "" }, "scale.points[2].label.en"),
        ("satisfied value not on the scale", { $0.scale.satisfied = [4, 6] }, "scale.satisfied"),
        ("no satisfied value", { $0.scale.satisfied = [] }, "scale.satisfied"),
        ("every value satisfied", { $0.scale.satisfied = [1, 2, 3, 4, 5] }, "scale.satisfied"),
        ("no elements", { $0.elements = [] }, "elements"),
        ("duplicate element id", { $0.elements[1].id = "access" }, "elements[1].id"),
        ("element without items", { $0.elements[1].items = [] }, "elements[1].items"),
        ("item id repeated in another element", { $0.elements[1].items[0].id = "a1" }, "elements[1].items[0].id"),
        ("empty item text", { $0.elements[0].items[1].text.vi = "" }, "elements[0].items[1].text.vi"),
        (
            "expectations allow more choices than options", { $0.expectations?.maxChoices = 4 },
            "expectations.maxChoices"
        ),
        ("duplicate expectation option", { $0.expectations?.options[2].id = "faster" }, "expectations.options[2].id"),
        ("comment longer than the API accepts", { $0.comment?.maxLength = 1_001 }, "comment.maxLength"),
        ("respondent question without options", { $0.respondent?[0].options = [] }, "respondent[0].options"),
    ]

    @Test("each broken rule is reported at its path", arguments: cases.indices.map { Named(cases[$0].0, $0) })
    func brokenRule(_ example: Named<Int>) {
        // By index: a closure taken out of a generic case crashes the Swift 6.3 compiler (SILGen ownership).
        let (name, breakIt, path) = Self.cases[example.value]
        var definition = Fixtures.survey()
        breakIt(&definition)
        let problems = definition.problems()
        #expect(problems.contains { $0.path == path }, "\(name): expected a problem at \(path), got \(problems)")
    }

    @Test("every file in Surveys/ decodes and validates")
    func bundledSurveys() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.surveysDirectory.path).filter {
            $0.hasSuffix(".json")
        }
        #expect(names.count >= 2)
        var ids: Set<String> = []
        for name in names {
            let data = try Data(contentsOf: Fixtures.surveysDirectory.appendingPathComponent(name))
            let definition = try JSONDecoder().decode(SurveyDefinition.self, from: data)
            #expect(definition.problems().isEmpty, "\(name): \(definition.problems())")
            ids.insert(definition.id)
        }
        #expect(ids.isSuperset(of: ["sipas", "quick"]))
    }

    @Test("the SIPAS questionnaire has the 5 elements and 19 items of DOMAIN.md §2, satisfied at 4 and 5")
    func sipasShape() throws {
        let data = try Data(contentsOf: Fixtures.surveysDirectory.appendingPathComponent("sipas.v1.json"))
        let sipas = try JSONDecoder().decode(SurveyDefinition.self, from: data)
        #expect(sipas.id == "sipas" && sipas.version == 1)
        #expect(sipas.elements.map(\.items.count) == [4, 4, 5, 3, 3])
        #expect(sipas.scale.points.map(\.value).sorted() == [1, 2, 3, 4, 5])
        #expect(Set(sipas.scale.satisfied) == [4, 5])
        #expect(sipas.expectations != nil && sipas.comment?.maxLength == 1_000)
        #expect(Set(sipas.respondent?.map(\.id) ?? []) == ["gender", "ageGroup"])

        let quick = try JSONDecoder().decode(
            SurveyDefinition.self,
            from: Data(contentsOf: Fixtures.surveysDirectory.appendingPathComponent("quick.v1.json")))
        #expect(quick.scale.points.map(\.label.vi) == ["Rất hài lòng", "Hài lòng", "Không hài lòng"])
        #expect(quick.items.count == 1)
    }
}
