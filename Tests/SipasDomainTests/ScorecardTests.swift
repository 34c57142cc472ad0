import Foundation
import Testing

@testable import SipasDomain

/// The plan's scorecard (`Deploy/scoring/seed-lap-vo-2024.json`) on constructed dossiers: the 2023 points the plan
/// reports come out of dossiers built to the same rates.
@Suite("The plan's scorecard")
struct ScorecardTests {
    static let ruleSet: ScoringRuleSet = {
        let url = Calendars.directory.deletingLastPathComponent().appendingPathComponent(
            "scoring/seed-lap-vo-2024.json")
        return try! JSONDecoder().decode(ScoringRuleSet.self, from: Data(contentsOf: url))
    }()

    static let districtProcedure = Procedure(
        code: "D", name: "Đăng ký hộ kinh doanh", field: "Hộ kinh doanh", level: .district, legalDays: 3,
        fullOnlineEligible: true, feeBearing: true)
    static let communeProcedure = Procedure(
        code: "C", name: "Chứng thực", field: "Chứng thực", level: .commune, legalDays: 1, fullOnlineEligible: true,
        feeBearing: true)

    /// `count` fee-bearing dossiers of `procedure` received 13/3/2023 and due 16/3: the first `resolved` resolved (the
    /// first `late` of them after the due date), the rest still in progress; `paid` paid online, `digitised` digitised;
    /// none full-online.
    static func add(
        _ procedure: Procedure, count: Int, resolved: Int, late: Int, paid: Int, digitised: Int,
        into figures: inout TimelinessFigures
    ) {
        for index in 0..<count {
            let resolvedAt =
                index >= resolved ? nil : index < late ? "2023-03-20T10:00:00+07:00" : "2023-03-16T10:00:00+07:00"
            let dossier = Dossier(
                code: "\(procedure.code)-\(index)", procedure: procedure.code, unit: "30172", channel: .direct,
                receivedAt: Timestamp.parse("2023-03-13T08:00:00+07:00")!, dueDate: LocalDate("2023-03-16")!,
                resolvedAt: resolvedAt.flatMap(Timestamp.parse), status: resolvedAt == nil ? .inProgress : .resolved,
                paidOnline: index < paid,
                feeBearing: true, digitised: index < digitised)
            figures.add(dossier, procedure: procedure, asOf: LocalDate("2023-12-31")!)
        }
    }

    /// District-level: 100 dossiers, 60 resolved of which 59 on time (the other 40 overdue), 24 paid online, 40 digitised; commune-level: 200,
    /// all resolved, 199 on time, 64 paid online, 93 digitised. All: 300 received, 133 digitised.
    static let card: Scorecard = {
        var district = TimelinessFigures(), commune = TimelinessFigures(), all = TimelinessFigures()
        add(districtProcedure, count: 100, resolved: 60, late: 1, paid: 24, digitised: 40, into: &district)
        add(communeProcedure, count: 200, resolved: 200, late: 1, paid: 64, digitised: 93, into: &commune)
        add(districtProcedure, count: 100, resolved: 60, late: 1, paid: 24, digitised: 40, into: &all)
        add(communeProcedure, count: 200, resolved: 200, late: 1, paid: 64, digitised: 93, into: &all)
        return Scorecard.compute(
            ruleSet, figures: { level in level == .district ? district : level == .commune ? commune : all },
            satisfaction: nil, entries: [:])
    }()

    /// The plan's 2023 points of its seven measurable criteria.
    static let plan2023: [(String, String)] = [
        ("ontime-district", "2.95"), ("ontime-commune", "1.99"), ("full-online-district", "0"),
        ("full-online-commune", "0"),
        ("digitisation", "1.33"), ("online-payment-district", "0.24"), ("online-payment-commune", "0.32"),
    ]

    @Test(
        "the plan's 2023 points come out of dossiers built to its rates", arguments: plan2023.map { Named($0.0, $0) })
    func planPoints(_ criterion: Named<(String, String)>) throws {
        let (id, points) = criterion.value
        let line = try #require(Self.card.lines.first { $0.criterion.id == id })
        #expect(line.points == Decimal(string: points), "\(id)")
        #expect(line.status == .computed)
        #expect(line.points == line.criterion.baseline.map(Rounding.decimal), "\(id) equals the plan's 2023 score")
    }

    @Test("18 criteria in 7 areas, maxima 22, 2023 scores 11,393; unentered criteria are not entered, never 0")
    func wholePlan() {
        #expect(Self.ruleSet.problems().isEmpty)
        #expect(Self.ruleSet.criteria.count == 18 && Self.ruleSet.areas?.count == 7)
        let total = Self.card.total()
        #expect(total.maximum == 22 && total.baseline == Decimal(string: "11.393"))
        #expect(total.missing == 11 && total.points == Decimal(string: "6.83"))
        #expect(Self.card.lines.filter { $0.status == .notEntered }.allSatisfy { $0.points == nil })
        #expect(Self.card.total(area: "2").maximum == 0)
    }

    @Test("an entered score counts as entered; the gap is what is left to the maximum")
    func entered() throws {
        let entry = ScorecardEntry(
            criterion: "training-plan", points: Decimal(string: "0.9")!, evidence: "KH 5/KH-UBND", actor: "admin",
            at: Date())
        let card = Scorecard.compute(
            Self.ruleSet, figures: { _ in TimelinessFigures() }, satisfaction: nil, entries: ["training-plan": entry])
        let line = try #require(card.lines.first { $0.criterion.id == "training-plan" })
        #expect(line.status == .entered && line.points == Decimal(string: "0.9") && line.gap == Decimal(string: "0.1"))
        #expect(card.lines.first { $0.criterion.id == "ontime-district" }?.status == .noData)
    }

    @Test("the plan's goal of 95 % on time: met at 95,00 %, missed at 94,99 %")
    func goal() {
        var met = TimelinessFigures(), missed = TimelinessFigures()
        met.resolved = 2_000; met.onTime = 1_900
        missed.resolved = 10_000; missed.onTime = 9_499
        #expect(Self.card.goalMet(met) == true && Self.card.goalMet(missed) == false)
    }
}

/// The one rounding rule: half away from zero on the exact value.
@Suite("Rounding")
struct RoundingTests {
    static let cases: [(Int, Int, String)] = [
        (87, 160, "54,38"), (1, 3, "33,33"), (2, 3, "66,67"), (59, 60, "98,33"), (199, 200, "99,5"), (1, 8, "12,5"),
        (7, 16, "43,75"),
        (1, 16, "6,25"), (3, 80, "3,75"), (0, 5, "0"), (5, 5, "100"),
    ]

    @Test(
        "a share of two counts, printed with two decimals", arguments: cases.map { Named("\($0.0) of \($0.1)", $0) })
    func percent(_ share: Named<(Int, Int, String)>) throws {
        let (numerator, denominator, text) = share.value
        let exact = try #require(Rounding.percent(numerator, of: denominator))
        #expect(Rounding.text(exact, places: 2) == text)
        // JSON carries the same rounded figure.
        #expect(Rounding.double(exact, places: 2) == Double(text.replacingOccurrences(of: ",", with: ".")))
    }

    @Test("halves go away from zero, also below zero")
    func halves() {
        #expect(Rounding.text(Decimal(string: "2.345")!, places: 2) == "2,35")
        #expect(Rounding.text(Decimal(string: "-2.345")!, places: 2) == "-2,35")
        #expect(Rounding.text(Decimal(string: "0.125")!, places: 2, minimumPlaces: 2) == "0,13")
        #expect(Rounding.text(Decimal(string: "3")!, places: 2, minimumPlaces: 2) == "3,00")
    }
}
