import Foundation
import SipasDomain

// MARK: - Holiday notice files for the next 12 months

extension DeploymentDoctor {
    /// Due dates are counted up to a year ahead; a year without its notice file is counted on computed,
    /// provisional holidays (its swapped days off are unknown), as `settleDueDates` warns at start.
    func calendarCheck(now: Date) -> DeploymentCheck {
        let directory = configuration.calendarDirectory
        let calendar: WorkingCalendar
        do {
            calendar = try ReferenceData.loadCalendar(directory: directory)
        } catch {
            return DeploymentCheck(
                "calendar", .action, "\(error)",
                fix: "sipas serve refuses to start on it: correct the file (see Deploy/calendar/README.md)")
        }
        let today = LocalDate(now)
        let horizon = today.adding(days: 365)
        let missing = calendar.yearsWithoutNotice(from: today, to: horizon)
        let covered = (today.year...horizon.year).filter { !missing.contains($0) }
        guard !missing.isEmpty else {
            return DeploymentCheck(
                "calendar", .ok,
                "notice files cover the next 12 months (\(covered.map(String.init).joined(separator: ", ")))")
        }
        let years = missing.map(String.init).joined(separator: ", ")
        let files = missing.map { "\($0).json" }.joined(separator: ", ")
        // The current year uncovered makes due dates being counted today provisional; only next year's notice missing
        // is usual in the last months of a year (the notice comes out late in the year before).
        return DeploymentCheck(
            "calendar", missing.contains(today.year) ? .action : .warning,
            "no holiday notice file for \(years) in \(directory): due dates there count on computed, provisional holidays",
            fix:
                "add \(files) from the official notice (see Deploy/calendar/README.md), or upgrade sipas to a release that has it"
        )
    }
}
