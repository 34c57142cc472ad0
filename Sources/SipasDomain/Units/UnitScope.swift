/// Which unit versions count for a unit version over a period, on which dates, and under which group.
///
/// A district's figure pools its own desks and its communes; since units are versioned, a commune counts for the
/// district only on the dates its parent in force is that district (so a 2024 report keeps the district level, and
/// a 2025 report does not find communes that moved on 1/7/2025). For the dates **before** the version started, a
/// unit formed from others (the 2025 reform) counts its predecessors combined, each as its own group
/// (`CODE@validFrom`), a predecessor taken over in part whole and marked partial, never split.
public struct UnitScope: Hashable, Sendable {
    /// One unit version counting for the scope over a date range.
    public struct Segment: Hashable, Sendable {
        public var code: String
        /// The version, by its start date.
        public var validFrom: LocalDate
        public var from: LocalDate
        public var to: LocalDate
        /// The child of the scope's unit it lies under (itself for a child); the scope's own code for its own desks;
        /// for a predecessor's part, the predecessor's key `CODE@validFrom`.
        public var group: String
        /// For a predecessor's part: the key of the version whose predecessor it is (access follows that version).
        public var via: String? = nil
        /// A predecessor taken over only in part lies on the path.
        public var partial: Bool = false

        /// `CODE@validFrom`, the key of the version counted.
        public var key: String { "\(code)@\(validFrom)" }
    }

    /// The code asked for.
    public let root: String
    /// The version reported; nil when the code is unknown.
    public let version: AdministrativeUnit?
    public let segments: [Segment]
    /// The predecessors combined for the part of the period before ``version`` started, each with whether only part
    /// of it was taken over; empty when the period does not precede the version or it was formed from none.
    public let predecessors: [(unit: AdministrativeUnit, part: Bool)]
    /// The part of the period that precedes the version (its figures are the predecessors'), if any.
    public let precedingPeriod: ClosedRange<LocalDate>?

    /// The scope of the version a bare code means over the period (``UnitDirectory/resolve(_:on:preferring:)`` on `to`).
    public init(directory: UnitDirectory, root: String, from: LocalDate, to: LocalDate) {
        let version = directory.resolve(UnitReference(code: root), on: to)
        self.init(directory: directory, root: root, version: version, from: from, to: to)
    }

    /// The scope of one version over the period.
    public init(directory: UnitDirectory, version: AdministrativeUnit, from: LocalDate, to: LocalDate) {
        self.init(directory: directory, root: version.code, version: version, from: from, to: to)
    }

    private init(directory: UnitDirectory, root: String, version: AdministrativeUnit?, from: LocalDate, to: LocalDate) {
        self.root = root
        self.version = version
        guard let version, from <= to else {
            segments = []
            predecessors = []
            precedingPeriod = nil
            return
        }
        // The version's own dates: the units under its code on each day.
        let ownFrom = max(from, version.validFrom)
        let ownTo = min(to, version.validTo ?? to)
        var segments = ownFrom <= ownTo ? Self.tree(directory, root: version.code, from: ownFrom, to: ownTo) : []
        // Before it started: its predecessors, each a group of its own, recursively.
        var predecessors: [(unit: AdministrativeUnit, part: Bool)] = []
        var preceding: ClosedRange<LocalDate>?
        let beforeEnd = min(to, version.validFrom.adding(days: -1))
        if from <= beforeEnd, !version.formedFrom.isEmpty {
            preceding = from...beforeEnd
            for predecessor in version.formedFrom {
                guard let unit = directory.version(predecessor.code, from: predecessor.validFrom) else { continue }
                predecessors.append((unit, predecessor.part))
                let inner = UnitScope(directory: directory, root: unit.code, version: unit, from: from, to: beforeEnd)
                for var segment in inner.segments {
                    segment.group = predecessor.key
                    segment.via = segment.via ?? version.key
                    segment.partial = segment.partial || predecessor.part
                    segments.append(segment)
                }
            }
        }
        self.segments = segments
        self.predecessors = predecessors
        self.precedingPeriod = preceding
    }

    /// The segments of every unit under `root` (by code, following the parents in force) from `from` to `to`.
    static func tree(_ directory: UnitDirectory, root: String, from: LocalDate, to: LocalDate) -> [Segment] {
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
                    segments.append(
                        Segment(code: unit.code, validFrom: unit.validFrom, from: start, to: end, group: group))
                }
            }
        }
        return segments
    }

    public static func == (lhs: UnitScope, rhs: UnitScope) -> Bool {
        lhs.root == rhs.root && lhs.version == rhs.version && lhs.segments == rhs.segments
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(root)
        hasher.combine(segments)
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
