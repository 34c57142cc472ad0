import Foundation
import Testing

@testable import SipasDomain
@testable import SipasServer

@Suite("Reference files in Deploy/")
struct ReferenceFilesTests {
    @Test("the calendars of 2023-2026 and the scoring rule sets load; the default is the seed's")
    func load() throws {
        let repository = TestEnvironment.repository
        let data = try ReferenceData.load(
            calendarDirectory: repository.appendingPathComponent("Deploy/calendar").path,
            scoringDirectory: repository.appendingPathComponent("Deploy/scoring").path)
        #expect(data.calendar.notices.keys.sorted() == [2023, 2024, 2025, 2026])
        #expect(data.defaultRuleSet == "seed-lap-vo-2024")
        let seed = try #require(data.ruleSet(nil))
        #expect(seed.criteria.first { $0.id == "ontime-district" }?.max == 3)
        #expect(seed.criteria.first { $0.id == "ontime-commune" }?.max == 2)
        // Tết Giáp Thìn 2024 and the swapped Saturday 4/5/2024, from the file.
        #expect(try !data.calendar.isWorkingDay(LocalDate("2024-02-12")!))
        #expect(try data.calendar.isWorkingDay(LocalDate("2024-05-04")!))
        #expect(try !data.calendar.isWorkingDay(LocalDate("2025-05-02")!))
        #expect(try data.calendar.isWorkingDay(LocalDate("2025-04-26")!))
    }

    @Test("a notice file not named for its year stops the start, naming the file")
    func misnamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-cal-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: TestEnvironment.repository.appendingPathComponent("Deploy/calendar/rules.json").path,
            toPath: folder + "/rules.json")
        try #"{"year":2027,"source":"x","daysOff":[],"workingDays":[]}"#.write(
            toFile: folder + "/2028.json", atomically: true, encoding: .utf8)
        #expect(throws: OperatorError.self) {
            _ = try ReferenceData.load(
                calendarDirectory: folder,
                scoringDirectory: TestEnvironment.repository.appendingPathComponent("Deploy/scoring").path)
        }
    }

    @Test("a calendar file with a weekday marked as a swapped working day stops the start, naming the file")
    func badCalendar() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-cal-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #"{"year":2024,"source":"x","daysOff":[],"workingDays":[{"date":"2024-05-06","name":"?"}]}"#.write(
            toFile: folder + "/2024.json", atomically: true, encoding: .utf8)
        do {
            _ = try ReferenceData.load(
                calendarDirectory: folder,
                scoringDirectory: TestEnvironment.repository.appendingPathComponent("Deploy/scoring").path)
            Issue.record("accepted")
        } catch let error as OperatorError {
            #expect(error.description.contains("2024.json") && error.description.contains("Saturday or Sunday"))
        }
    }
}
