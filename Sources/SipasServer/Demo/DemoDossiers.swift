import Foundation
import SipasDomain

/// A documented, seeded generator of a year of procedure dossiers for a district and its communes,
/// written as a dossiers CSV (the sample in `Deploy/sample/dossiers.csv` is its output).
///
/// Per dossier: a procedure of the catalogue (civil status and certification three times as likely as
/// the others), received by the district itself for district-level procedures and by one of its communes
/// for commune-level ones, on a working day between 7:30 and 16:30 (Vietnam time); online for a third of
/// the dossiers of full-online procedures (most of those full-online), by post for 3 %, else at the desk.
/// The due date is left to the calendar. About 97 % are resolved on time (three in five before the due
/// day), the others 1 to 5 working days late with an apology slip two times in three; 0.5 % are withdrawn;
/// dossiers not yet due at the end of the year stay in progress. Half are digitised; a third of the
/// fee-bearing online ones are paid online. The same seed gives the same file.
public struct DemoDossiers: Sendable {
    public var year: Int
    public var seed: UInt64

    public init(year: Int, seed: UInt64 = 7) {
        self.year = year
        self.seed = seed
    }

    /// The CSV text of `count` dossiers for `district`, using the stored units and procedures.
    public func csv(count: Int, district: String, database: SQLiteDatabase, calendar: WorkingCalendar) async throws
        -> String
    {
        let procedures = try await database.procedures().values.sorted { $0.code < $1.code }
        guard !procedures.isEmpty else {
            throw OperatorError("no procedures yet; import the procedures catalogue first")
        }
        let snapshot = try await UnitCache(database: database).current()
        let midYear = LocalDate(year: year, month: 6, day: 30)!
        let communes = snapshot.directory.children(of: district, on: midYear).map(\.code)
        guard !communes.isEmpty else {
            throw OperatorError("unit \(district) has no communes in \(year); import the units first")
        }
        var random = SeededRandom(seed: seed)
        var days: [LocalDate] = []
        var day = LocalDate(year: year, month: 1, day: 1)!
        while day.year == year {
            if try calendar.isWorkingDay(day) { days.append(day) }
            day = day.adding(days: 1)
        }
        let weighted = procedures.flatMap { ["Hộ tịch", "Chứng thực"].contains($0.field) ? [$0, $0, $0] : [$0] }
        let endOfYear = LocalDate(year: year, month: 12, day: 31)!

        var writer = CSVWriter(byteOrderMark: false)
        writer.row(DossierSubmission.csvHeader)
        var serial: [String: Int] = [:]
        for _ in 0..<count {
            let procedure = weighted[random.below(weighted.count)]
            let unit = procedure.level == .district ? district : communes[random.below(communes.count)]
            let received = days[random.below(days.count)]
            let receivedAt = received.startOfDay.addingTimeInterval(Double((7 * 60 + 30 + random.below(9 * 60)) * 60))
            let draw = random.unit()
            let channel: DossierChannel =
                procedure.fullOnlineEligible && draw < 0.33 ? .online : draw > 0.97 ? .postal : .direct
            let fullOnline = channel == .online && random.unit() < 0.8
            let due = try calendar.dueDate(receivedOn: received, workingDays: procedure.legalDays)

            var resolvedDay: LocalDate
            let outcome = random.unit()
            var apology = false
            if outcome < 0.97 {
                // On time: three in five before the due day (when there is room), else on it.
                resolvedDay = due
                if received < due && random.unit() < 0.6 {
                    let span = max(1, Int(due.startOfDay.timeIntervalSince(received.startOfDay) / 86_400))
                    resolvedDay = received.adding(days: random.below(span))
                    while try !calendar.isWorkingDay(resolvedDay) && resolvedDay < due {
                        resolvedDay = resolvedDay.adding(days: 1)
                    }
                }
            } else {
                resolvedDay = due
                for _ in 0..<(1 + random.below(5)) {
                    resolvedDay = (try? calendar.nextWorkingDay(after: resolvedDay)) ?? resolvedDay.adding(days: 1)
                }
                apology = random.unit() < 0.67
            }
            let withdrawn = random.unit() < 0.005
            let resolved = !withdrawn && resolvedDay <= endOfYear
            let resolvedAt = resolvedDay.startOfDay.addingTimeInterval(Double((13 * 60 + random.below(4 * 60)) * 60))
            let status: DossierStatus =
                withdrawn ? .withdrawn : !resolved ? .inProgress : random.unit() < 0.8 ? .returned : .resolved
            let paidOnline = procedure.feeBearing && channel == .online && random.unit() < 0.33
            let stamp = String(received.description.dropFirst(2).replacingOccurrences(of: "-", with: ""))
            serial[unit + stamp, default: 0] += 1
            let code = "\(unit)-\(stamp)-\(String(format: "%04d", serial[unit + stamp]!))"
            writer.row([
                code, procedure.code, unit, "", channel.rawValue, Timestamp.formatLocal(receivedAt), "",
                status.isResolved ? Timestamp.formatLocal(max(resolvedAt, receivedAt)) : "", status.rawValue,
                String(fullOnline), String(paidOnline),
                String(procedure.feeBearing), String(random.unit() < 0.5), String(apology && status.isResolved),
            ])
        }
        return writer.text
    }
}
