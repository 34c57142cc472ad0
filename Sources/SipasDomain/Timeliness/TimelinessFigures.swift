import Foundation

/// A rate with its numerator and denominator kept explicit, since portals differ in what they count.
public struct Rate: Hashable, Sendable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The fraction 0…1; nil when nothing is counted.
    public var fraction: Double? { denominator > 0 ? Double(numerator) / Double(denominator) : nil }
    /// Percent 0…100.
    public var percent: Double? { fraction.map { 100 * $0 } }
    /// The exact fraction 0…1 (see ``Rounding``); nil when nothing is counted.
    public var exactFraction: Decimal? { denominator > 0 ? Decimal(numerator) / Decimal(denominator) : nil }
    /// The exact percentage, for printing through ``Rounding``.
    public var exactPercent: Decimal? { Rounding.percent(numerator, of: denominator) }
}

/// The CCHC timeliness figures of a set of dossiers (DOMAIN.md §3).
///
/// Counted over the dossiers received in the period; withdrawn dossiers count in none of the rates
/// (DECISION: a withdrawal is the applicant's choice, not the office's delay).
public struct TimelinessFigures: Hashable, Sendable {
    public var received = 0
    public var resolved = 0
    public var early = 0
    public var onTime = 0
    public var late = 0
    public var inProgressInTime = 0
    public var overdue = 0
    public var withdrawn = 0
    /// Counted dossiers whose due date rests on a provisional calendar day: the on-time figures may still change.
    public var provisional = 0
    /// Late or overdue dossiers without an apology slip.
    public var lateWithoutApology = 0
    public var fullOnline = 0
    /// Dossiers of procedures eligible for full-online service.
    public var fullOnlineEligible = 0
    public var paidOnline = 0
    /// Dossiers of procedures (or with flags) bearing fees.
    public var feeBearing = 0
    public var digitised = 0
    /// Eligible procedures that had at least one dossier, and those with at least one full-online dossier.
    public var eligibleProcedures: Set<String> = []
    public var proceduresWithFullOnline: Set<String> = []

    public init() {}

    /// Adds one dossier, classified as of `asOf`.
    public mutating func add(_ dossier: Dossier, procedure: Procedure?, asOf: LocalDate) {
        let outcome = DossierOutcome.classify(dossier, asOf: asOf)
        if outcome == .withdrawn { withdrawn += 1; return }
        received += 1
        if dossier.dueDateProvisional { provisional += 1 }
        switch outcome {
        case .early: early += 1
        case .onTime: onTime += 1
        case .late: late += 1
        case .inProgressInTime: inProgressInTime += 1
        case .overdue: overdue += 1
        case .withdrawn: break
        }
        if outcome.isResolved { resolved += 1 }
        if (outcome == .late || outcome == .overdue) && !dossier.apologyIssued { lateWithoutApology += 1 }
        if procedure?.fullOnlineEligible == true {
            fullOnlineEligible += 1
            eligibleProcedures.insert(dossier.procedure)
            if dossier.fullOnline { proceduresWithFullOnline.insert(dossier.procedure) }
        }
        if dossier.fullOnline { fullOnline += 1 }
        if dossier.feeBearing {
            feeBearing += 1
            if dossier.paidOnline { paidOnline += 1 }
        }
        if dossier.digitised { digitised += 1 }
    }

    /// PAR "đúng hạn": (early + on time) / resolved. The seed's goal is at least 95 %.
    public var onTimeRate: Rate { Rate(early + onTime, of: resolved) }
    /// QĐ 766 timeliness: (early + on time + in progress within deadline) / received.
    public var decision766Timeliness: Rate { Rate(early + onTime + inProgressInTime, of: received) }
    /// QĐ 766 points: 20 × the timeliness rate, exact (round with ``Rounding``).
    public var decision766Points: Decimal? { decision766Timeliness.exactFraction.map { 20 * $0 } }
    /// Full-online dossiers / dossiers of eligible procedures.
    public var fullOnlineRate: Rate { Rate(fullOnline, of: fullOnlineEligible) }
    /// Eligible procedures with at least one full-online dossier / eligible procedures with dossiers.
    public var fullOnlineProcedureShare: Rate { Rate(proceduresWithFullOnline.count, of: eligibleProcedures.count) }
    /// Dossiers paid online / dossiers with fees.
    public var onlinePaymentRate: Rate { Rate(paidOnline, of: feeBearing) }
    /// Digitised / received.
    public var digitisationRate: Rate { Rate(digitised, of: received) }
    /// Late or overdue dossiers without an apology slip / late or overdue dossiers.
    public var lateWithoutApologyRate: Rate { Rate(lateWithoutApology, of: late + overdue) }
}
