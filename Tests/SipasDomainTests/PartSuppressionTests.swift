import Foundation
import Testing

@testable import SipasDomain

/// A part withheld under the privacy minimum cannot be worked out from its parent and its published siblings.
@Suite("Complementary suppression inside one set of figures")
struct PartSuppressionTests {
    @Test("an item answered by 2 of 20: a sibling item is suppressed with it, so the element does not give it back")
    func itemInElement() throws {
        // a1 answered by 2 people (withheld), a2 by all 20; access = mean(a1, a2) would give a1 = 2·access − a2.
        var respondents: [[String: Int]] = (0..<20).map { ["a2": $0 < 12 ? 5 : 2, "s1": 4] }
        respondents[0]["a1"] = 1
        respondents[1]["a1"] = 1
        let figures = SatisfactionIndex.compute(
            SatisfactionIndexTests.sheet(respondents), definition: Fixtures.survey())
        let a1 = try #require(figures.items.first { $0.id == "a1" })
        let a2 = try #require(figures.items.first { $0.id == "a2" })
        #expect(a1.figure.value == nil && a1.figure.withheld != nil)
        // Its only sibling protects it: the element is then one equation in two unknowns.
        #expect(
            a2.figure.value == nil && a2.figure.suppression == .complementary && a2.meanScore == nil
                && a2.satisfied == nil)
        let access = try #require(figures.elements.first { $0.id == "access" })
        #expect(access.figure.value != nil)
        #expect(figures.warnings.contains { $0.code == .suppressed && $0.figure == "item:a2" })
    }

    @Test("an element whose only answered item is withheld is suppressed itself, and protected within the overall")
    func onlyItem() throws {
        // s1 answered by 3 of 20 (withheld), and staff has no other item: staff goes, and then access protects it.
        let respondents: [[String: Int]] = (0..<20).map { $0 < 3 ? ["a1": 5, "a2": 4, "s1": 2] : ["a1": 5, "a2": 4] }
        let figures = SatisfactionIndex.compute(
            SatisfactionIndexTests.sheet(respondents), definition: Fixtures.survey())
        let staff = try #require(figures.elements.first { $0.id == "staff" })
        #expect(staff.figure.value == nil)
        let access = try #require(figures.elements.first { $0.id == "access" })
        #expect(access.figure.value == nil && access.figure.suppression == .complementary)
        #expect(figures.overall.value != nil)
    }

    @Test("the trial's case: overall 48 %, four elements 60 %, the fifth withheld: a second element is hidden")
    func elementInOverall() {
        let policy = SamplePolicy()
        func element(_ id: String, _ value: Double?, n: Int) -> ElementFigure {
            ElementFigure(
                id: id, title: Fixtures.text,
                figure: IndexFigure(
                    value: value, ci95: nil, n: n, standardError: nil, smallSample: false,
                    withheld: value == nil ? "fewer than 5" : nil),
                meanScore: value.map { _ in 3 }, exactMeanScore: nil)
        }
        let figures = IndexFigures(
            respondents: 5,
            overall: IndexFigure(value: 48, ci95: nil, n: 5, standardError: nil, smallSample: true, withheld: nil),
            elements: [
                element("a", 60, n: 5), element("b", 60, n: 6), element("c", 60, n: 5), element("d", 60, n: 5),
                element("e", nil, n: 2),
            ],
            items: [], expectations: [], warnings: []
        ).protectingParts(by: policy)
        let hidden = figures.elements.filter { $0.figure.value == nil }.map(\.id)
        #expect(hidden == ["a", "e"])  // the smallest other (first of equals) protects "e"
        #expect(figures.elements[0].figure.suppression == .complementary && figures.elements[0].meanScore == nil)
        #expect(figures.overall.value == 48)
    }
}
