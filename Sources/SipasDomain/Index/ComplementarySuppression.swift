/// Why a cell of a breakdown is not published, its n included.
public enum Suppression: String, Hashable, Sendable {
    /// Fewer respondents (or answers) than the privacy minimum: a handful of answers can identify people.
    case belowMinimum
    /// The cell has enough respondents, but published beside the total and the other cells it would give the
    /// withheld cell back by subtraction (complementary suppression).
    case complementary
}

/// Complementary suppression of one line of a breakdown: which cells to suppress so that no withheld cell can be
/// derived from the total and the cells that stay published (DOMAIN.md §7).
///
/// A breakdown shares out a total: the communes of a district, the months of a year, the channels. Withholding a
/// cell under the privacy minimum is not enough when the total and the other cells are published, since the total
/// minus the others is the withheld cell, its n and its scores exactly. So:
///
/// - a cell with 1 to `minimum − 1` respondents (or answers) is **withheld**, its n too;
/// - as long as the suppressed cells are fewer than two, or hold together fewer than `minimum` respondents, the
///   **smallest other non-empty cell** (the first of equals, in the breakdown's order) is suppressed too, so the
///   total minus the published cells gives only a sum of cells that cannot be told apart;
/// - when no such cell is left, the **total** is suppressed.
///
/// Empty cells are never sensitive (nobody to identify) and never protect anything, so they are neither
/// withheld by this rule nor chosen as the complement. Cells already suppressed by an earlier line of the same
/// breakdown (a whole group, before its items) count as suppressed, with their true n.
public struct ComplementarySuppression: Hashable, Sendable {
    /// Cells under the minimum, newly suppressed by this line.
    public private(set) var withheld: Set<Int> = []
    /// Cells suppressed so that a withheld cell cannot be derived.
    public private(set) var complementary: Set<Int> = []
    /// No other cell could protect the withheld ones: the total of the line must be suppressed too.
    public private(set) var total = false

    /// Decides one line.
    ///
    /// - Parameters:
    ///   - counts: each cell's n (respondents, or valid answers for an item), in the breakdown's order.
    ///   - minimum: the privacy minimum (``SamplePolicy/privacyMinimum``).
    ///   - alreadySuppressed: cells suppressed by an earlier line of the same breakdown.
    public init(counts: [Int], minimum: Int, alreadySuppressed: Set<Int> = []) {
        withheld = Set(
            counts.indices.filter { counts[$0] > 0 && counts[$0] < minimum && !alreadySuppressed.contains($0) })
        var hidden = alreadySuppressed.union(withheld)
        func held() -> [Int] { hidden.map { counts[$0] }.filter { $0 > 0 } }
        guard !held().isEmpty else { return }
        while held().count < 2 || held().reduce(0, +) < minimum {
            let candidates = counts.indices.filter { counts[$0] > 0 && !hidden.contains($0) }
            guard let smallest = candidates.min(by: { counts[$0] < counts[$1] }) else {
                total = true
                return
            }
            complementary.insert(smallest)
            hidden.insert(smallest)
        }
    }

    /// Every cell suppressed by this line.
    public var suppressed: Set<Int> { withheld.union(complementary) }

    /// Why cell `index` is suppressed by this line, if it is.
    public func suppression(of index: Int) -> Suppression? {
        withheld.contains(index) ? .belowMinimum : complementary.contains(index) ? .complementary : nil
    }
}
