import Foundation

/// A dossier as an integration or a file sent it, before any check: every field may be missing or wrong.
public struct DossierSubmission: Hashable, Sendable, Codable {
    public var code: String?
    public var procedure: String?
    public var unit: String?
    public var resolvingUnit: String?
    public var channel: String?
    public var receivedAt: String?
    public var dueDate: String?
    public var resolvedAt: String?
    public var status: String?
    public var fullOnline: Bool?
    public var paidOnline: Bool?
    public var feeBearing: Bool?
    public var digitised: Bool?
    public var apologyIssued: Bool?

    public init(
        code: String? = nil, procedure: String? = nil, unit: String? = nil, resolvingUnit: String? = nil,
        channel: String? = nil,
        receivedAt: String? = nil, dueDate: String? = nil, resolvedAt: String? = nil, status: String? = nil,
        fullOnline: Bool? = nil,
        paidOnline: Bool? = nil, feeBearing: Bool? = nil, digitised: Bool? = nil, apologyIssued: Bool? = nil
    ) {
        self.code = code
        self.procedure = procedure
        self.unit = unit
        self.resolvingUnit = resolvingUnit
        self.channel = channel
        self.receivedAt = receivedAt
        self.dueDate = dueDate
        self.resolvedAt = resolvedAt
        self.status = status
        self.fullOnline = fullOnline
        self.paidOnline = paidOnline
        self.feeBearing = feeBearing
        self.digitised = digitised
        self.apologyIssued = apologyIssued
    }

    /// The CSV header of `sipas dossiers import`: the same names as the JSON fields.
    public static let csvHeader = [
        "code", "procedure", "unit", "resolvingUnit", "channel", "receivedAt", "dueDate", "resolvedAt", "status",
        "fullOnline",
        "paidOnline", "feeBearing", "digitised", "apologyIssued",
    ]

    /// From a CSV row in ``csvHeader`` order: empty cells are absent; booleans must be `true` or `false`.
    public init(csv fields: [String]) throws(InvalidInput) {
        func text(_ index: Int) -> String? { let value = fields[index].trimmed; return value.isEmpty ? nil : value }
        var problems: [FieldProblem] = []
        func flag(_ index: Int) -> Bool? {
            guard let value = text(index) else { return nil }
            if let flag = Bool(value) { return flag }
            problems.append(FieldProblem(field: Self.csvHeader[index], message: "'\(value)' must be true or false"))
            return nil
        }
        self.init(
            code: text(0), procedure: text(1), unit: text(2), resolvingUnit: text(3), channel: text(4),
            receivedAt: text(5), dueDate: text(6),
            resolvedAt: text(7), status: text(8), fullOnline: flag(9), paidOnline: flag(10), feeBearing: flag(11),
            digitised: flag(12),
            apologyIssued: flag(13))
        if !problems.isEmpty { throw InvalidInput(problems) }
    }
}
