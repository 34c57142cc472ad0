/// Which unit versions count for a unit over a period, on which dates, and under which of its children.
///
/// A district's figure pools its own desks and its communes; since units are versioned, a commune counts
/// for the district only on the dates its parent in force is that district (so a 2024 report keeps the
/// district level, and a 2025 report does not find communes that moved on 1/7/2025).
public struct UnitScope: Hashable, Sendable {
    /// One unit version counting for the scope over a date range.
    public struct Segment: Hashable, Sendable {
        public var code: String
        /// The version, by its start date.
        public var validFrom: LocalDate
        public var from: LocalDate
        public var to: LocalDate
        /// The child of the scope's unit it lies under (itself for a child); the scope's own code for its own desks.
        public var group: String
    }

    public let root: String
    public let segments: [Segment]

    /// - Parameters: root: the unit asked for; from/to: the period, inclusive.
    public init(directory: UnitDirectory, root: String, from: LocalDate, to: LocalDate) {
        self.root = root
        // Memberships can only change where some version starts or ends, so evaluate at those dates.
        let all = directory.all
        var breaks: Set<LocalDate> = [from]
        for unit in all {
            if unit.validFrom > from && unit.validFrom <= to { breaks.insert(unit.validFrom) }
            if let end = unit.validTo, end >= from && end < to { breaks.insert(end.adding(days: 1)) }
        }
        let starts = breaks.sorted()
        var segments: [Segment] = []
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].adding(days: -1) : to
            for unit in all where unit.isInForce(on: start) {
                guard let group = directory.childOnPath(from: unit.code, below: root, on: start) else { continue }
                // Merge with the previous segment of the same version and group when contiguous.
                if let last = segments.lastIndex(where: { $0.code == unit.code && $0.validFrom == unit.validFrom }),
                    segments[last].group == group, segments[last].to.adding(days: 1) == start
                {
                    segments[last].to = end
                } else {
                    segments.append(Segment(code: unit.code, validFrom: unit.validFrom, from: start, to: end, group: group))
                }
            }
        }
        self.segments = segments
    }
}

extension UnitDirectory {
    /// The unit directly below `root` on the path from `code` up to `root` on `date`; `root` itself when
    /// `code` is `root`; nil when `code` is not under `root`.
    public func childOnPath(from code: String, below root: String, on date: LocalDate) -> String? {
        if code == root { return root }
        var current = unit(code, on: date)
        var steps = 0
        while let unit = current, steps < 8 {
            guard let parent = unit.parent else { return nil }
            if parent == root { return unit.code }
            current = self.unit(parent, on: date)
            steps += 1
        }
        return nil
    }
}
