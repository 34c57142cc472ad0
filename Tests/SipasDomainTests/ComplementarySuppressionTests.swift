import Foundation
import Testing

@testable import SipasDomain

@Suite("Complementary suppression")
struct ComplementarySuppressionTests {
    /// Counts, cells already suppressed, then the expected withheld cells, complements and whether the total goes.
    typealias Line = (counts: [Int], already: Set<Int>, withheld: Set<Int>, complementary: Set<Int>, total: Bool)

    static let cases: [Named<Line>] = [
        Named(
            "district 875: commune 30169 has 3 respondents, the smallest other (12) protects it",
            ([3, 40, 12, 25, 0], [], [0], [2], false)),
        Named(
            "nothing under the minimum: nothing suppressed, empty cells are never sensitive",
            ([40, 12, 0, 0], [], [], [], false)),
        Named("of equal candidates, the first in the breakdown's order", ([3, 12, 12], [], [0], [1], false)),
        Named(
            "two withheld cells that together reach the minimum cannot be told apart: no complement",
            ([2, 3, 40], [], [0, 1], [], false)),
        Named(
            "two withheld cells under the minimum together: one complement more",
            ([1, 1, 40, 30], [], [0, 1], [3], false)
        ),
        Named("only the withheld cell has anyone in it: the total goes", ([3, 0, 0], [], [0], [], true)),
        Named("two cells, the withheld one and its only complement: the total stays", ([3, 77], [], [0], [1], false)),
        Named(
            "a later line (an item) whose group 0 is already suppressed: still one other cell needed",
            ([2, 0, 30, 20], [0, 1], [], [3], false)),
        Named("already protected by the earlier line", ([2, 10, 30], [0, 1], [], [], false)),
    ]

    @Test("which cells are withheld, which protect them, and when the total goes", arguments: cases)
    func decide(_ example: Named<Line>) {
        let (counts, already, withheld, complementary, total) = example.value
        let line = SamplePolicy().suppression(of: counts, alreadySuppressed: already)
        #expect(line.withheld == withheld, "\(counts)")
        #expect(line.complementary == complementary, "\(counts)")
        #expect(line.total == total, "\(counts)")
    }

    @Test("a minimum of 0 or 1 suppresses nothing")
    func noMinimum() {
        for minimum in [0, 1] {
            let line = ComplementarySuppression(counts: [1, 2, 40], minimum: minimum)
            #expect(line.suppressed.isEmpty && !line.total)
        }
    }
}
