import Foundation

/// One published figure: a percentage with its 95 % interval and n, or withheld with the reason.
public struct IndexFigure: Hashable, Sendable {
    /// Percentage 0…100; nil when withheld or when nothing was answered.
    public var value: Double?
    /// The same percentage computed exactly (a share of counts, or a mean of such shares, to 38 digits): what is
    /// printed, through ``Rounding``.
    public var exact: Decimal?
    /// 95 % interval in percent; nil with the value.
    public var ci95: ClosedRange<Double>?
    /// Valid answers (items) or respondents (elements, overall) behind the figure.
    public var n: Int
    /// Standard error in percentage points, used to compare periods; nil with the value.
    public var standardError: Double?
    /// n is under the small-sample threshold.
    public var smallSample: Bool
    /// Why the value is withheld, if it is.
    public var withheld: String?
    /// Set on a figure of a breakdown that is not published at all, its n included, and why (``IndexBreakdown``).
    public var suppression: Suppression?

    /// The n as published: nil when the figure is suppressed in a breakdown, where its n could be subtracted back.
    public var publishedN: Int? { suppression == nil ? n : nil }

    public init(
        value: Double?, exact: Decimal? = nil, ci95: ClosedRange<Double>?, n: Int, standardError: Double?,
        smallSample: Bool, withheld: String?
    ) {
        self.value = value
        self.exact = exact ?? value.map(Rounding.decimal)
        self.ci95 = ci95
        self.n = n
        self.standardError = standardError
        self.smallSample = smallSample
        self.withheld = withheld
    }

    /// Suppresses the figure in a breakdown: no value, interval or n, and the reason.
    mutating func suppress(_ suppression: Suppression, policy: SamplePolicy) {
        value = nil
        exact = nil
        ci95 = nil
        standardError = nil
        self.suppression = suppression
        withheld = policy.reason(suppression)
    }

    /// Applies the sample policy: flags a small n, and blanks every value under the privacy minimum.
    func applying(_ policy: SamplePolicy) -> IndexFigure {
        var figure = self
        figure.smallSample = policy.isSmall(n)
        if let reason = policy.withholding(n) {
            figure.value = nil
            figure.exact = nil
            figure.ci95 = nil
            figure.standardError = nil
            figure.withheld = reason
        }
        return figure
    }
}

/// The figure of one item (tiêu chí).
public struct ItemFigure: Hashable, Sendable {
    public var id: String
    public var element: String
    public var figure: IndexFigure
    /// Answers in the satisfied set; nil when withheld.
    public var satisfied: Int?
    /// Mean answer on the scale; nil when withheld or unanswered.
    public var meanScore: Double?
    /// The mean answer, exact (sum of answers / answers).
    public var exactMeanScore: Decimal?
    /// The questionnaire version the item belongs to: item figures are always per version.
    public var surveyVersion: Int = 0
}

/// The figure of one element (yếu tố).
public struct ElementFigure: Hashable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var figure: IndexFigure
    public var meanScore: Double?
    /// The mean answer over the element's items, exact (sum of answers / answers).
    public var exactMeanScore: Decimal?
}

/// The share of respondents who chose one expectation option.
public struct ExpectationShare: Hashable, Sendable {
    public var id: String
    public var label: LocalizedText
    /// Respondents who chose it; nil when withheld.
    public var count: Int?
    /// Percentage of respondents; nil when withheld.
    public var share: Double?
    /// The same percentage, exact.
    public var exactShare: Decimal?
}

/// A small-sample or withholding notice, for the `warnings` list.
public struct FigureWarning: Hashable, Sendable {
    /// `withheld`: too few respondents; `suppressed`: complementary suppression in a breakdown.
    public enum Code: String, Sendable { case smallSample, withheld, suppressed }
    public var code: Code
    /// `sipas`, `element:access`, `item:a1`.
    public var figure: String
    /// nil when the figure's n is not published (a suppressed cell of a breakdown).
    public var n: Int?
    public var message: String
}

/// Every figure of one scope: the overall index, elements, items, expectations and the warnings.
public struct IndexFigures: Hashable, Sendable {
    public var respondents: Int
    /// The respondents as published: nil when the whole set is suppressed in a breakdown (see ``IndexBreakdown``).
    public var publishedRespondents: Int? { overall.suppression == nil ? respondents : nil }
    /// The questionnaire versions whose responses the figures count; more than one means the elements and the
    /// overall index combine them (``SatisfactionIndex/compute(versions:policy:)``).
    public var surveyVersions: [Int] = []
    public var overall: IndexFigure
    public var elements: [ElementFigure]
    public var items: [ItemFigure]
    public var expectations: [ExpectationShare]
    public var warnings: [FigureWarning]
}
