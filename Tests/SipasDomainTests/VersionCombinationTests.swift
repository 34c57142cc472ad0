import Foundation
import Testing

@testable import SipasDomain

/// Two questionnaire versions in one period: items per version, elements combined by respondents.
@Suite("Index over two questionnaire versions")
struct VersionCombinationTests {
    static let text = Fixtures.text

    /// Version 2: the same elements, other items.
    static let v2 = SurveyDefinition(
        id: "sipas", version: 2, title: text, scale: Fixtures.survey().scale,
        elements: [
            SurveyElement(id: "access", title: text, items: [SurveyItem(id: "tc01", text: text)]),
            SurveyElement(
                id: "staff", title: text,
                items: [SurveyItem(id: "tc10", text: text), SurveyItem(id: "tc11", text: text)]),
        ])

    static func sheet(_ definition: SurveyDefinition, _ respondents: [[(String, Int)]]) -> TallySheet {
        var sheet: TallySheet = [:]
        for answers in respondents {
            sheet.add(
                ResponseContribution.tallies(
                    answers: answers.map { ValidResponse.Answer(item: $0.0, value: $0.1) }, expectations: [],
                    definition: definition))
        }
        return sheet
    }

    @Test(
        "elements are the respondent-weighted mean of each version's element; items stay per version; one version is unchanged"
    )
    func combined() throws {
        let v1 = Fixtures.survey()
        // Version 1: 10 respondents, access a1 satisfied by 6 and a2 by 8 (element 70 %), staff s1 by 5 (50 %).
        let first = Self.sheet(
            v1, (0..<10).map { [("a1", $0 < 6 ? 5 : 2), ("a2", $0 < 8 ? 4 : 1), ("s1", $0 < 5 ? 5 : 3)] })
        // Version 2: 30 respondents, access tc01 by 27 (90 %); staff tc10 by 15, tc11 by 21 (element 60 %).
        let second = Self.sheet(
            Self.v2, (0..<30).map { [("tc01", $0 < 27 ? 5 : 1), ("tc10", $0 < 15 ? 4 : 2), ("tc11", $0 < 21 ? 5 : 2)] })
        let figures = SatisfactionIndex.compute(versions: [(v1, first), (Self.v2, second)], policy: SamplePolicy())
        #expect(figures.surveyVersions == [1, 2] && figures.respondents == 40)
        let access = try #require(figures.elements.first { $0.id == "access" })
        let staff = try #require(figures.elements.first { $0.id == "staff" })
        // (10 × 70 + 30 × 90) / 40 = 85; (10 × 50 + 30 × 60) / 40 = 57,5; overall (85 + 57,5) / 2 = 71,25.
        #expect(access.figure.exact == 85 && access.figure.n == 40)
        #expect(staff.figure.exact == Decimal(string: "57.5"))
        #expect(figures.overall.exact == Decimal(string: "71.25") && figures.overall.n == 40)
        #expect(figures.items.map(\.id) == ["a1", "a2", "s1", "tc01", "tc10", "tc11"])
        #expect(figures.items.map(\.surveyVersion) == [1, 1, 1, 2, 2, 2])
        #expect(figures.items.first { $0.id == "tc11" }?.figure.exact == 70)
        let interval = try #require(figures.overall.ci95)
        #expect(interval.lowerBound < 71.25 && interval.upperBound > 71.25)

        let alone = SatisfactionIndex.compute(versions: [(v1, first), (Self.v2, [:])], policy: SamplePolicy())
        #expect(alone == SatisfactionIndex.compute(first, definition: v1, policy: SamplePolicy()))
        #expect(alone.surveyVersions == [1])
    }

    @Test("a version's small part is not withheld on its own: withholding applies to the combined figures")
    func withholdingCombined() throws {
        let v1 = Fixtures.survey()
        let first = Self.sheet(v1, (0..<3).map { _ in [("a1", 5)] })
        let second = Self.sheet(Self.v2, (0..<3).map { _ in [("tc01", 4)] })
        let figures = SatisfactionIndex.compute(versions: [(v1, first), (Self.v2, second)], policy: SamplePolicy())
        #expect(figures.elements.first { $0.id == "access" }?.figure.exact == 100)
        #expect(figures.items.allSatisfy { $0.figure.withheld != nil })
    }
}
