/// When a figure is flagged as resting on a small sample, and when it is withheld to protect respondents.
public struct SamplePolicy: Hashable, Sendable {
    /// Below this n a figure carries `smallSample` (default 30).
    public var smallSampleThreshold: Int
    /// Below this many respondents a figure is withheld (null, with the reason), since a handful of answers
    /// can identify people (default 5).
    public var privacyMinimum: Int

    public init(smallSampleThreshold: Int = 30, privacyMinimum: Int = 5) {
        self.smallSampleThreshold = smallSampleThreshold
        self.privacyMinimum = privacyMinimum
    }

    /// The reason a figure of `n` is withheld, if it is.
    public func withholding(_ n: Int) -> String? {
        n < privacyMinimum ? "fewer than \(privacyMinimum) respondents (privacy minimum)" : nil
    }

    public func isSmall(_ n: Int) -> Bool { n < smallSampleThreshold }

    /// Why a cell of a breakdown is suppressed, as every output says it.
    public func reason(_ suppression: Suppression) -> String {
        switch suppression {
        case .belowMinimum: withholding(0) ?? "fewer respondents than the privacy minimum"
        case .complementary:
            "suppressed so that a withheld figure cannot be derived from the total and the other groups "
                + "(complementary suppression)"
        }
    }

    /// The cells of one line of a breakdown to suppress (``ComplementarySuppression``), with this policy's minimum.
    public func suppression(of counts: [Int], alreadySuppressed: Set<Int> = []) -> ComplementarySuppression {
        ComplementarySuppression(counts: counts, minimum: privacyMinimum, alreadySuppressed: alreadySuppressed)
    }
}
