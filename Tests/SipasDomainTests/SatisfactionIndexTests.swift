import Foundation
import Testing

@testable import SipasDomain

/// Hand-computed fixtures for every formula of DOMAIN.md §2.
@Suite("Satisfaction index formulas")
struct SatisfactionIndexTests {
    /// The tallies of respondents, each a set of answers, through the same contribution code as storage.
    static func sheet(
        _ respondents: [[String: Int]], expectations: [[String]] = [], definition: SurveyDefinition = Fixtures.survey()
    ) -> TallySheet {
        var sheet: TallySheet = [:]
        for (index, answers) in respondents.enumerated() {
            let list = answers.map { ValidResponse.Answer(item: $0.key, value: $0.value) }.sorted { $0.item < $1.item }
            sheet.add(
                ResponseContribution.tallies(
                    answers: list, expectations: index < expectations.count ? expectations[index] : [],
                    definition: definition))
        }
        return sheet
    }

    static let open = SamplePolicy(smallSampleThreshold: 30, privacyMinimum: 1)

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) < tolerance
    }

    @Test("item: 6 satisfied of 10 valid answers is 60 %, mean 3.6, Wilson 95 % [31.27, 83.18]")
    func item() throws {
        let values = [5, 5, 4, 4, 3, 3, 2, 1, 5, 4]
        let figures = SatisfactionIndex.compute(
            Self.sheet(values.map { ["a1": $0] }), definition: Fixtures.survey(), policy: Self.open)
        let a1 = try #require(figures.items.first { $0.id == "a1" })
        #expect(a1.figure.n == 10 && a1.satisfied == 6)
        #expect(Self.close(a1.figure.value, 60))
        #expect(Self.close(a1.meanScore, 3.6))
        let ci = try #require(a1.figure.ci95)
        #expect(abs(ci.lowerBound - 31.267) < 0.01 && abs(ci.upperBound - 83.182) < 0.01)
        #expect(a1.figure.smallSample)
        // Unanswered items are "no answer": n = 0, no value, never a zero.
        let a2 = try #require(figures.items.first { $0.id == "a2" })
        #expect(a2.figure.n == 0 && a2.figure.value == nil)
    }

    @Test("all satisfied: 100 %, and the Wilson interval does not collapse (40 answers: [91.24, 100])")
    func allSatisfied() throws {
        let figures = SatisfactionIndex.compute(
            Self.sheet(Array(repeating: ["a1": 5, "a2": 4, "s1": 5], count: 40)), definition: Fixtures.survey(),
            policy: Self.open)
        #expect(Self.close(figures.overall.value, 100))
        let ci = try #require(figures.items[0].figure.ci95)
        #expect(abs(ci.lowerBound - 100 * 40 / (40 + 1.959963984540054 * 1.959963984540054)) < 1e-9)
        #expect(ci.upperBound == 100)
        #expect(try #require(figures.overall.ci95).lowerBound < 100)
        #expect(!figures.overall.smallSample)
    }

    @Test("element: the mean of item indices, not the pooled share, when items have different n")
    func meanOfMeans() throws {
        // a1: 6 of 10 satisfied (60 %); a2: 5 of 20 (25 %); element access = 42.5, pooled would be 36.7.
        var respondents: [[String: Int]] = []
        for i in 0..<20 {
            var answers = ["a2": i < 5 ? 5 : 2]
            if i < 10 { answers["a1"] = i < 6 ? 4 : 1 }
            respondents.append(answers)
        }
        // s1: 16 of 20 satisfied, so element staff = 80 %, and the overall index = (42.5 + 80) / 2 = 61.25.
        for i in 0..<20 { respondents[i]["s1"] = i < 16 ? 5 : 3 }
        let figures = SatisfactionIndex.compute(
            Self.sheet(respondents), definition: Fixtures.survey(), policy: Self.open)
        #expect(Self.close(figures.elements[0].figure.value, 42.5))
        #expect(Self.close(figures.elements[1].figure.value, 80))
        #expect(Self.close(figures.overall.value, 61.25))
        #expect(figures.respondents == 20)
        #expect(figures.elements[0].figure.n == 20)
        // Mean score pooled over the element's answers: (6·4 + 4·1 + 5·5 + 15·2) / 30.
        #expect(Self.close(figures.elements[0].meanScore, Double(6 * 4 + 4 * 1 + 5 * 5 + 15 * 2) / 30))
    }

    @Test("element interval, perfectly correlated items: exactly Wilson on the respondents (75 % of 40)")
    func correlatedInterval() throws {
        let respondents = (0..<40).map { i -> [String: Int] in i < 30 ? ["a1": 5, "a2": 5] : ["a1": 2, "a2": 1] }
        let figures = SatisfactionIndex.compute(
            Self.sheet(respondents), definition: Fixtures.survey(), policy: Self.open)
        let element = figures.elements[0].figure
        #expect(Self.close(element.value, 75))
        let expected = try #require(ProportionInterval.wilson(proportion: 0.75, n: 40))
        #expect(Self.close(element.ci95?.lowerBound, 100 * expected.lowerBound))
        #expect(Self.close(element.ci95?.upperBound, 100 * expected.upperBound))
    }

    @Test("element interval by linearisation, computed by hand: shares 1, ½, ½, 0 give n_eff = 6")
    func linearisedInterval() throws {
        // Shares: mean ½, sample variance ((½)² + 0 + 0 + (½)²) / 3 = 1/6, SE² = 1/24, n_eff = ¼ / (1/24) = 6.
        let respondents = [["a1": 5, "a2": 5], ["a1": 5, "a2": 2], ["a1": 2, "a2": 5], ["a1": 1, "a2": 1]]
        let figures = SatisfactionIndex.compute(
            Self.sheet(respondents), definition: Fixtures.survey(), policy: Self.open)
        let element = figures.elements[0].figure
        #expect(Self.close(element.value, 50))
        let expected = try #require(ProportionInterval.wilson(proportion: 0.5, n: 6))
        #expect(Self.close(element.ci95?.lowerBound, 100 * expected.lowerBound))
        #expect(Self.close(element.ci95?.upperBound, 100 * expected.upperBound))
        #expect(Self.close(element.standardError, 100 * (0.25 / 6).squareRoot()))
    }

    @Test("a single respondent: every figure withheld under the privacy minimum, n kept")
    func singleRespondent() {
        let figures = SatisfactionIndex.compute(
            Self.sheet([["a1": 5, "s1": 4]], expectations: [["faster"]]), definition: Fixtures.survey())
        #expect(figures.respondents == 1)
        #expect(figures.overall.value == nil && figures.overall.ci95 == nil && figures.overall.n == 1)
        #expect(figures.overall.withheld != nil)
        #expect(figures.items.allSatisfy { $0.figure.value == nil && $0.satisfied == nil && $0.meanScore == nil })
        #expect(figures.expectations.allSatisfy { $0.share == nil && $0.count == nil })
        #expect(figures.warnings.contains { $0.code == .withheld && $0.figure == "sipas" })
    }

    @Test(
        "thresholds: 4 respondents withheld, 5 shown; 29 small, 30 not",
        arguments: [
            Named("4 respondents: withheld", (4, true, true)), Named("5: shown, a small sample", (5, false, true)),
            Named("29: a small sample", (29, false, true)), Named("30: not small", (30, false, false)),
        ] as [Named<(Int, Bool, Bool)>])
    func thresholds(_ example: Named<(Int, Bool, Bool)>) {
        let (count, withheld, small) = example.value
        let figures = SatisfactionIndex.compute(
            Self.sheet(Array(repeating: ["a1": 4], count: count)), definition: Fixtures.survey())
        #expect((figures.overall.withheld != nil) == withheld)
        #expect(figures.overall.smallSample == small)
        #expect(figures.warnings.contains { $0.code == .smallSample } == (small && !withheld))
    }

    @Test("expectations are shares of respondents, outside the index")
    func expectations() {
        let respondents = Array(repeating: ["a1": 4], count: 10)
        let chosen = [["faster", "kinder"], ["faster"], ["faster"]]
        let figures = SatisfactionIndex.compute(
            Self.sheet(respondents, expectations: chosen), definition: Fixtures.survey())
        #expect(figures.expectations.first { $0.id == "faster" }?.share == 30)
        #expect(figures.expectations.first { $0.id == "kinder" }?.count == 1)
        #expect(figures.expectations.first { $0.id == "cheaper" }?.share == 0)
        #expect(Self.close(figures.overall.value, 100))
    }

    @Test("which answers count as satisfied is data: the same answers score differently with satisfied = [5]")
    func satisfiedSetIsData() {
        var strict = Fixtures.survey()
        strict.scale.satisfied = [5]
        let respondents = [["a1": 5], ["a1": 4], ["a1": 4], ["a1": 5], ["a1": 3]]
        #expect(
            Self.close(
                SatisfactionIndex.compute(Self.sheet(respondents), definition: Fixtures.survey()).items[0].figure.value,
                80))
        #expect(
            Self.close(
                SatisfactionIndex.compute(Self.sheet(respondents, definition: strict), definition: strict).items[0]
                    .figure.value, 40))
    }

    @Test("the quick rating has its own satisfied rate (2 and 3 of 1-3)")
    func quick() {
        let ratings = [3, 3, 2, 1, 2, 1, 3, 3, 2, 1].map { ["rating": $0] }
        let figures = SatisfactionIndex.compute(
            Self.sheet(ratings, definition: Fixtures.quick()), definition: Fixtures.quick())
        #expect(Self.close(figures.overall.value, 70))
        #expect(figures.items.map(\.id) == ["rating"])
    }

    @Test("comparison: 60/100 against 75/100 is significant (z = 2.26, p = 0.0235); 60/100 against 65/100 is not")
    func comparison() throws {
        let change = IndexComparison.proportionChange(id: "a1", first: 60, second: 75, s1: 60, n1: 100, s2: 75, n2: 100)
        #expect(Self.close(change.difference, 15))
        #expect(abs((change.pValue ?? 1) - 0.02354) < 0.0001)
        #expect(change.significant == true)
        let small = IndexComparison.proportionChange(id: "a1", first: 60, second: 65, s1: 60, n1: 100, s2: 65, n2: 100)
        #expect(small.significant == false)
        let withheld = IndexComparison.proportionChange(
            id: "a1", first: nil, second: 65, s1: nil, n1: 3, s2: 65, n2: 100)
        #expect(withheld.significant == nil)
    }

    @Test("comparison of indices: significant only when the interval of the difference excludes 0")
    func indexComparison() {
        func figure(_ value: Double, _ se: Double) -> IndexFigure {
            IndexFigure(value: value, ci95: nil, n: 100, standardError: se, smallSample: false, withheld: nil)
        }
        let base = IndexFigures(
            respondents: 100, overall: figure(80, 2), elements: [], items: [], expectations: [], warnings: [])
        var later = base
        later.overall = figure(86, 2)  // 6 ± 1.96·√8 = 6 ± 5.54: significant
        #expect(IndexComparison.overall(base, later, id: "sipas").significant == true)
        later.overall = figure(85, 2)  // 5 ± 5.54: not
        #expect(IndexComparison.overall(base, later, id: "sipas").significant == false)
    }
}
