import Foundation
import Hummingbird
import SipasDomain

/// The answer of `GET /v1/coverage`: how many citizens are asked, per unit and desk, against the dossiers
/// resolved, so an office sees where few responses are collected.
struct CoverageReport: ResponseCodable, Sendable {
    /// The responses given at one desk.
    struct Desk: Codable, Sendable {
        let desk: String
        let responses: Int
    }

    /// One unit (or the parent's own desks): its resolved dossiers and the responses given there.
    struct Unit: Codable, Sendable {
        let unit: String
        let label: String
        let resolvedDossiers: Int
        let responses: Int
        let responsesNamingDossier: Int
        /// Responses per resolved dossier; nil without resolved dossiers.
        let responsesPerResolvedDossier: Double?
        let desks: [Desk]
    }

    let unit: String
    let from: String
    let to: String
    let units: [Unit]
    /// The unit version covered, and its predecessors for the dates before it.
    var unitVersion: UnitVersionBody? = nil
}

extension TimelinessService {
    func coverage(unit: String, period: Period, reader: FigureReader) async throws -> CoverageReport {
        let snapshot = try await units.current()
        let scope = try UnitAccess.scope(unit: unit, period: period, reader: reader, snapshot: snapshot)
        let ranges = UnitAccess.ranges(scope, snapshot: snapshot)
        var groupOf: [Int64: String] = [:]
        for range in ranges { for (id, group) in range.units { groupOf[id] = group } }
        let (responses, resolved) = try await database.coverage(ranges: ranges)
        var perGroup: [String: (resolved: Int, responses: Int, named: Int, desks: [String: Int])] = [:]
        for group in Set(scope.segments.map(\.group)) { perGroup[group] = (0, 0, 0, [:]) }
        for (id, count) in resolved { perGroup[groupOf[id] ?? "", default: (0, 0, 0, [:])].resolved += count }
        for count in responses {
            let group = groupOf[count.unitID] ?? ""
            perGroup[group, default: (0, 0, 0, [:])].responses += count.responses
            perGroup[group, default: (0, 0, 0, [:])].named += count.responsesWithDossier
            perGroup[group, default: (0, 0, 0, [:])].desks[count.desk, default: 0] += count.responses
        }
        let units = perGroup.keys.sorted().map { key -> CoverageReport.Unit in
            let entry = perGroup[key]!
            return CoverageReport.Unit(
                unit: key,
                label: snapshot.groupLabel(key, root: scope.version?.code ?? unit, on: period.to, scope: scope),
                resolvedDossiers: entry.resolved, responses: entry.responses,
                responsesNamingDossier: entry.named,
                responsesPerResolvedDossier: entry.resolved > 0
                    ? Rounding.double(Decimal(entry.responses) / Decimal(entry.resolved), places: 2) : nil,
                desks: entry.desks.keys.sorted().map { CoverageReport.Desk(desk: $0, responses: entry.desks[$0]!) })
        }
        return CoverageReport(
            unit: unit, from: period.from.description, to: period.to.description, units: units,
            unitVersion: UnitVersionBody(scope))
    }
}
