import Foundation
import Testing

@testable import SipasDomain

@Suite("Timeliness rates and scoring rules")
struct TimelinessTests {
    static let eligible = Procedure(
        code: "E", name: "Đăng ký khai sinh", field: "Hộ tịch", level: .commune, legalDays: 3, fullOnlineEligible: true,
        feeBearing: false)
    static let other = Procedure(
        code: "O", name: "Chứng thực", field: "Chứng thực", level: .commune, legalDays: 1, fullOnlineEligible: false,
        feeBearing: true)
    static let unused = Procedure(
        code: "U", name: "Khác", field: "Khác", level: .commune, legalDays: 1, fullOnlineEligible: true,
        feeBearing: false)

    static func dossier(
        _ procedure: Procedure, resolved: String?, due: String = "2024-03-15", status: DossierStatus? = nil,
        fullOnline: Bool = false,
        fee: Bool = false, paid: Bool = false, digitised: Bool = false, apology: Bool = false
    ) -> Dossier {
        Dossier(
            code: UUID().uuidString, procedure: procedure.code, unit: "30172", channel: fullOnline ? .online : .direct,
            receivedAt: Timestamp.parse("2024-03-11T08:00:00+07:00")!, dueDate: LocalDate(due)!,
            resolvedAt: resolved.flatMap(Timestamp.parse),
            status: status ?? (resolved == nil ? .inProgress : .resolved), fullOnline: fullOnline, paidOnline: paid,
            feeBearing: fee,
            digitised: digitised, apologyIssued: apology)
    }

    @Test("every rate's numerator and denominator")
    func rates() {
        let set: [(Dossier, Procedure)] = [
            (
                Self.dossier(Self.eligible, resolved: "2024-03-13T10:00:00+07:00", fullOnline: true, digitised: true),
                Self.eligible
            ),  // early
            (Self.dossier(Self.eligible, resolved: "2024-03-15T10:00:00+07:00", digitised: true), Self.eligible),  // on time
            (
                Self.dossier(Self.other, resolved: "2024-03-18T10:00:00+07:00", fee: true, paid: true, apology: true),
                Self.other
            ),  // late, apology
            (Self.dossier(Self.other, resolved: "2024-03-19T10:00:00+07:00", fee: true), Self.other),  // late, no apology
            (Self.dossier(Self.other, resolved: nil, due: "2024-12-31", fee: true, paid: true), Self.other),  // in progress in time
            (Self.dossier(Self.eligible, resolved: nil), Self.eligible),  // overdue, no apology
            (Self.dossier(Self.eligible, resolved: nil, status: .withdrawn, digitised: true), Self.eligible),  // withdrawn: counted nowhere
            (Self.dossier(Self.eligible, resolved: "2024-03-14T10:00:00+07:00", status: .returned), Self.eligible),  // returned: early
        ]
        var figures = TimelinessFigures()
        for (dossier, procedure) in set { figures.add(dossier, procedure: procedure, asOf: LocalDate("2024-06-30")!) }
        #expect(figures.received == 7 && figures.withdrawn == 1)
        let counts: [Int] = [figures.early, figures.onTime, figures.late, figures.inProgressInTime, figures.overdue]
        #expect(counts == [2, 1, 2, 1, 1])
        #expect(figures.onTimeRate == Rate(3, of: 5))
        #expect(figures.decision766Timeliness == Rate(4, of: 7))
        #expect(abs((figures.decision766Points ?? 0) - 20.0 * 4 / 7) < 1e-9)
        #expect(figures.fullOnlineRate == Rate(1, of: 4))
        #expect(figures.fullOnlineProcedureShare == Rate(1, of: 1))
        #expect(figures.onlinePaymentRate == Rate(2, of: 3))
        #expect(figures.digitisationRate == Rate(2, of: 7))
        #expect(figures.lateWithoutApologyRate == Rate(2, of: 3))
    }

    @Test("a set built to 98.33 % on time (59 of 60) scores 2.95 of 3 with the proportional rule")
    func seedScore() {
        var figures = TimelinessFigures()
        for index in 0..<60 {
            figures.add(
                Self.dossier(
                    Self.other, resolved: index == 0 ? "2024-03-20T10:00:00+07:00" : "2024-03-15T10:00:00+07:00"),
                procedure: Self.other, asOf: LocalDate("2024-12-31")!)
        }
        let rate = figures.onTimeRate
        #expect(rate == Rate(59, of: 60))
        #expect(abs((rate.percent ?? 0) - 98.333) < 0.001)
        #expect(
            Rounding.rounded(ScoringRuleSet.Rule.proportional.points(rate: rate.exactFraction!, maximum: 3), places: 2)
                == Decimal(string: "2.95"))
    }

    /// 3 points from 95 %, 2 from 90 %, 1 from 80 %.
    static let threeSteps = ScoringRuleSet.Rule.steps([
        .init(from: 0.95, points: 3), .init(from: 0.9, points: 2), .init(from: 0.8, points: 1),
    ])

    @Test(
        "the three scoring rules",
        arguments: [
            Named("proportional", (.proportional, 0.5, 3.0, 1.5)),
            Named("proportional, a rate over 1 gives the maximum", (.proportional, 1.2, 3.0, 3.0)),
            Named("steps, between two", (threeSteps, 0.93, 3.0, 2.0)),
            Named("steps, under the lowest", (threeSteps, 0.79, 3.0, 0.0)),
            Named(
                "steps, on the top step's edge",
                (.steps([.init(from: 0.95, points: 3), .init(from: 0.9, points: 2)]), 0.95, 3.0, 3.0)),
            Named("capped, under the cap", (.capped(fullAt: 0.9), 0.81, 6.0, 5.4)),
            Named("capped, over the cap", (.capped(fullAt: 0.9), 0.95, 6.0, 6.0)),
        ] as [Named<(ScoringRuleSet.Rule, Double, Double, Double)>])
    func rules(_ example: Named<(ScoringRuleSet.Rule, Double, Double, Double)>) {
        let (rule, rate, maximum, points) = example.value
        #expect(rule.points(rate: Rounding.decimal(rate), maximum: maximum) == Rounding.decimal(points))
    }
}

@Suite("Dossier rules")
struct DossierRulesTests {
    static let procedures = [
        TimelinessTests.eligible.code: TimelinessTests.eligible, TimelinessTests.other.code: TimelinessTests.other,
    ]
    static let rules = DossierRules(procedures: procedures, calendar: Calendars.calendar)
    static let now = Timestamp.parse("2024-12-01T10:00:00+07:00")!

    static func submission() -> DossierSubmission {
        DossierSubmission(
            code: "000.00.30.H35-240311-0001", procedure: "E", unit: "30172", channel: "direct",
            receivedAt: "2024-03-11T08:00:00+07:00",
            status: "in-progress")
    }

    @Test("the due date is computed from the legal time when absent; the fee flag defaults to the procedure's")
    func computedDueDate() throws {
        let dossier = try Self.rules.validate(Self.submission(), now: Self.now).get()
        #expect(dossier.dueDate.description == "2024-03-14")
        #expect(!dossier.feeBearing)
    }

    static let invalid: [(String, @Sendable (inout DossierSubmission) -> Void, String)] = [
        ("missing code", { $0.code = nil }, "code"),
        ("unknown procedure", { $0.procedure = "9.999999" }, "procedure"),
        ("bad channel", { $0.channel = "fax" }, "channel"),
        ("bad status", { $0.status = "done" }, "status"),
        ("receivedAt without offset", { $0.receivedAt = "2024-03-11T08:00:00" }, "receivedAt"),
        ("resolved without resolvedAt", { $0.status = "resolved" }, "resolvedAt"),
        ("resolvedAt while in progress", { $0.resolvedAt = "2024-03-12T08:00:00+07:00" }, "resolvedAt"),
        (
            "resolved before received",
            {
                $0.status = "resolved"; $0.resolvedAt = "2024-03-10T08:00:00+07:00"
            }, "resolvedAt"
        ),
        ("bad due date", { $0.dueDate = "14/03/2024" }, "dueDate"),
        ("paid online without fees", { $0.paidOnline = true }, "paidOnline"),
        ("full-online at the desk", { $0.fullOnline = true }, "fullOnline"),
        ("a year no calendar can be computed for", { $0.receivedAt = "1899-03-11T08:00:00+07:00" }, "dueDate"),
    ]

    @Test("invalid dossiers are refused naming the field", arguments: invalid.indices.map { Named(invalid[$0].0, $0) })
    func refused(_ example: Named<Int>) {
        // By index: a closure taken out of a generic case crashes the Swift 6.3 compiler (SILGen ownership).
        let (name, breakIt, field) = Self.invalid[example.value]
        var submission = Self.submission()
        breakIt(&submission)
        guard case .failure(let problems) = Self.rules.validate(submission, now: Self.now) else {
            Issue.record("\(name): accepted")
            return
        }
        #expect(problems.problems.map(\.field).contains(field), "\(name): \(problems)")
    }

    @Test("updates move forward; rewriting history is refused with the reason")
    func transitions() throws {
        let stored = try Self.rules.validate(Self.submission(), now: Self.now).get()
        var resolved = Self.submission()
        resolved.status = "resolved"
        resolved.resolvedAt = "2024-03-13T16:00:00+07:00"
        let forward = try Self.rules.validate(resolved, now: Self.now).get()
        #expect(DossierRules.change(from: nil, to: stored) == .success(.created(stored)))
        #expect(DossierRules.change(from: stored, to: stored) == .success(.unchanged(stored)))
        #expect(DossierRules.change(from: stored, to: forward) == .success(.updated(forward)))

        func refusedField(_ from: Dossier, _ to: Dossier) -> [String] {
            guard case .failure(let problems) = DossierRules.change(from: from, to: to) else { return [] }
            return problems.problems.map(\.field)
        }
        #expect(refusedField(forward, stored).contains("status"))
        var moved = Self.submission()
        moved.receivedAt = "2024-03-11T09:00:00+07:00"
        #expect(refusedField(stored, try Self.rules.validate(moved, now: Self.now).get()).contains("receivedAt"))
        var rewritten = resolved
        rewritten.resolvedAt = "2024-03-12T16:00:00+07:00"
        #expect(refusedField(forward, try Self.rules.validate(rewritten, now: Self.now).get()) == ["resolvedAt"])
    }
}
