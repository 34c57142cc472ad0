import Foundation
import Testing

@testable import SipasDomain

@Suite("Stuffing signals")
struct StuffingRulesTests {
    /// Friday 29/11/2024, 09:00:00 in Vietnam.
    static let nine = Timestamp.parse("2024-11-29T09:00:00+07:00")!

    /// Responses at the given seconds after 09:00 with distinct answers (or the given answer sets).
    static func submissions(at seconds: [Double], answers: [String?]? = nil) -> [StuffingSubmission] {
        seconds.enumerated().map { index, offset in
            StuffingSubmission(
                seq: Int64(index + 1), submittedAt: nine.addingTimeInterval(offset),
                answerSet: answers.map { $0[index] } ?? "set \(index)")
        }
    }

    static func rules(_ change: (inout StuffingThresholds) -> Void = { _ in }) throws -> StuffingRules {
        var thresholds = StuffingThresholds()
        change(&thresholds)
        return try StuffingRules(thresholds)
    }

    /// Sequence numbers flagged for `reason`.
    static func flagged(_ result: [FlaggedSubmission], _ reason: StuffingReason) -> [Int64] {
        result.filter { $0.flags.contains { $0.reason == reason } }.map(\.seq)
    }

    // MARK: - Bursts

    @Test(
        "a burst is more than the maximum within the window, edges included",
        arguments: [
            // (seconds after 09:00, flagged seqs) with at most 3 in 60 s
            Named("exactly the maximum", ([0, 20, 40], [])),
            Named("one over, the last exactly 60 s after the first", ([0, 20, 40, 60], [1, 2, 3, 4])),
            Named("one over, but 1 ms too late for one window", ([0, 20, 40, 60.001], [])),
            Named("the late one is not part of it", ([0, 1, 2, 3, 500], [1, 2, 3, 4])),
            Named("given out of order: judged in submission-time order", ([300, 0, 1, 2, 3], [2, 3, 4, 5])),
            Named("overlapping windows: one episode", ([0, 15, 30, 45, 60, 75, 90, 200], [1, 2, 3, 4, 5, 6, 7])),
        ] as [Named<([Double], [Int64])>])
    func bursts(_ example: Named<([Double], [Int64])>) throws {
        let (seconds, expected) = example.value
        let rules = try Self.rules {
            $0.burstMaximum = 3; $0.burstWindowSeconds = 60
        }
        let result = rules.flag(Self.submissions(at: seconds))
        #expect(Self.flagged(result, .burst) == expected)
        #expect(Self.flagged(result, .identicalRun) == [])
        #expect(Self.flagged(result, .outsideOfficeHours) == [])
    }

    @Test("a burst's detail gives its span, its densest window and the limit")
    func burstDetail() throws {
        let rules = try Self.rules {
            $0.burstMaximum = 3; $0.burstWindowSeconds = 60
        }
        let result = rules.flag(Self.submissions(at: [0, 15, 30, 45, 60, 75, 90, 200]))
        let details = Set(result.flatMap(\.flags).map(\.detail))
        #expect(
            details == [
                "one of 7 responses from 09:00:00 to 09:01:30 (Vietnam time), up to 5 within 60 s; a desk serves at most 3 in that time"
            ])
    }

    // MARK: - Identical runs

    @Test(
        "a run is at least the threshold of consecutive identical answer sets; one different set breaks it",
        arguments: [
            // answer sets in order, flagged seqs, with runs of 4 flagged
            Named("one under", (["A", "A", "A"], [])),
            Named("exactly the threshold", (["A", "A", "A", "A"], [1, 2, 3, 4])),
            Named("one over, between others", (["B", "A", "A", "A", "A", "A", "C"], [2, 3, 4, 5, 6])),
            Named("broken by one different answer set", (["A", "A", "A", "B", "A", "A", "A"], [])),
            Named("broken by an answer set too small to compare", (["A", "A", nil, "A", "A"], [])),
            Named("one-tap ratings never form a run", ([nil, nil, nil, nil, nil], [])),
            Named("two runs", (["A", "A", "A", "A", "B", "B", "B", "B"], [1, 2, 3, 4, 5, 6, 7, 8])),
        ] as [Named<([String?], [Int64])>])
    func runs(_ example: Named<([String?], [Int64])>) throws {
        let (answers, expected) = example.value
        let rules = try Self.rules { $0.identicalRun = 4 }
        // Ten minutes apart: no burst.
        let result = rules.flag(Self.submissions(at: answers.indices.map { Double($0) * 600 }, answers: answers))
        #expect(Self.flagged(result, .identicalRun) == expected)
        #expect(Self.flagged(result, .burst) == [])
    }

    @Test("a run's detail gives its length, span and threshold")
    func runDetail() throws {
        let rules = try Self.rules { $0.identicalRun = 4 }
        let result = rules.flag(Self.submissions(at: [0, 60, 120, 180, 240], answers: ["A", "A", "A", "A", "A"]))
        let detail = try #require(result.first?.flags.first { $0.reason == .identicalRun }?.detail)
        #expect(
            detail
                == "one of 5 consecutive responses with the same answers, from 09:00:00 to 09:04:00 (Vietnam time); runs of 4 or more are flagged"
        )
    }

    // MARK: - Office hours

    @Test(
        "office hours in Vietnam time (07:00-17:30, Monday to Saturday): edges and a Sunday",
        arguments: [
            Named("Friday, a second before opening", ("2024-11-29T06:59:59+07:00", true)),
            Named("opening", ("2024-11-29T07:00:00+07:00", false)),
            Named("last second open", ("2024-11-29T17:29:59+07:00", false)),
            Named("closing: already closed", ("2024-11-29T17:30:00+07:00", true)),
            Named("17:29:59 in Vietnam, written in UTC", ("2024-11-29T10:29:59Z", false)),
            Named("17:30:00 in Vietnam, written in UTC", ("2024-11-29T10:30:00Z", true)),
            Named("Friday 06:59:59 in Vietnam (Thursday in UTC)", ("2024-11-28T23:59:59Z", true)),
            Named("Saturday morning: an office day", ("2024-11-30T10:00:00+07:00", false)),
            Named("Sunday", ("2024-12-01T10:00:00+07:00", true)),
            Named("Sunday 00:00 in Vietnam, still Saturday in UTC", ("2024-11-30T17:00:00Z", true)),
            Named("Sunday 23:59:59 in Vietnam", ("2024-12-01T16:59:59Z", true)),
            Named("Monday 07:00 in Vietnam", ("2024-12-02T00:00:00Z", false)),
        ] as [Named<(String, Bool)>])
    func officeHours(_ example: Named<(String, Bool)>) throws {
        let (text, outside) = example.value
        let rules = try Self.rules()
        let submission = StuffingSubmission(seq: 1, submittedAt: try #require(Timestamp.parse(text)), answerSet: "A")
        #expect(Self.flagged(rules.flag([submission]), .outsideOfficeHours) == (outside ? [1] : []), "\(text)")
    }

    @Test("the detail names the local time, or the closed day")
    func officeHoursDetail() throws {
        let rules = try Self.rules()
        let evening = try #require(rules.outsideOfficeHours(Timestamp.parse("2024-11-29T18:05:00+07:00")!))
        #expect(evening == "submitted at 18:05:00 (Vietnam time), outside office hours 07:00-17:30")
        let sunday = try #require(rules.outsideOfficeHours(Timestamp.parse("2024-12-01T09:15:00+07:00")!))
        #expect(
            sunday
                == "submitted on Sunday at 09:15:00 (Vietnam time); the office opens on Monday, Tuesday, Wednesday, Thursday, Friday, Saturday"
        )
    }

    // MARK: - Together, and settings

    @Test("a response can carry several reasons, in a fixed order")
    func severalReasons() throws {
        let rules = try Self.rules {
            $0.burstMaximum = 3; $0.burstWindowSeconds = 60; $0.identicalRun = 4
        }
        // Sunday 1/12/2024 22:00 in Vietnam, four identical answers within a minute.
        let sunday = Timestamp.parse("2024-12-01T22:00:00+07:00")!
        let submissions = (0..<4).map {
            StuffingSubmission(
                seq: Int64($0 + 1), submittedAt: sunday.addingTimeInterval(Double($0) * 10), answerSet: "A")
        }
        let result = rules.flag(submissions)
        #expect(result.map(\.seq) == [1, 2, 3, 4])
        #expect(result.allSatisfy { $0.flags.map(\.reason) == [.burst, .identicalRun, .outsideOfficeHours] })
    }

    @Test("0 turns a signal off; ordinary desk work is not flagged")
    func off() throws {
        let rules = try Self.rules {
            $0.burstMaximum = 0; $0.identicalRun = 0
        }
        #expect(
            rules.flag(Self.submissions(at: Array(repeating: 0, count: 50), answers: Array(repeating: "A", count: 50)))
                == [])
        // A citizen every four minutes all morning, answers varying: nothing with the defaults.
        let day = try Self.rules().flag(Self.submissions(at: (0..<60).map { Double($0) * 240 }))
        #expect(day == [])
    }

    @Test(
        "bad settings are refused, naming the setting",
        arguments: [
            ("officeHours", "7:00-17:30"), ("officeHours", "07:00"), ("officeHours", "17:30-07:00"),
            ("officeHours", "07:00-24:01"),
            ("officeHours", "07:60-17:00"), ("officeHours", "07:00-07:00"), ("identicalRun", "1"),
            ("burstMaximum", "-1"),
            ("burstWindowSeconds", "-5"), ("burstWindowSeconds", "86401"), ("burstMaximum", "100001"),
            ("identicalRun", "100001"),
            ("officeDays", "0"), ("officeDays", "8"), ("officeDays", ""),
        ].map { Named("\($0.0) = '\($0.1)'", $0) })
    func refused(_ example: Named<(String, String)>) {
        let (setting, value) = example.value
        var thresholds = StuffingThresholds()
        switch setting {
        case "officeHours": thresholds.officeHours = value
        case "identicalRun": thresholds.identicalRun = Int(value)!
        case "burstMaximum": thresholds.burstMaximum = Int(value)!
        case "burstWindowSeconds": thresholds.burstWindowSeconds = Int(value)!
        default: thresholds.officeDays = value.isEmpty ? [] : [Int(value)!]
        }
        #expect {
            try StuffingRules(thresholds)
        } throws: { error in
            (error as? StuffingSettingProblem)?.setting == setting && "\(error)".hasPrefix("stuffing.\(setting): ")
        }
    }

    @Test(
        "good office hours parse, including a closing at 24:00",
        arguments: [
            Named("a working day", "07:00-17:30"), Named("the whole day", "00:00-24:00"),
            Named("spaces around the times", " 07:30 - 11:30 "),
        ])
    func accepted(_ example: Named<String>) throws {
        let hours = example.value
        _ = try Self.rules { $0.officeHours = hours }
    }

    @Test("00:00-24:00 is the whole day: midnight and the day's last second are inside office hours")
    func wholeDay() throws {
        let rules = try Self.rules { $0.officeHours = "00:00-24:00" }
        for time in ["2024-11-29T00:00:00+07:00", "2024-11-29T23:59:59+07:00", "2024-11-29T12:00:00+07:00"] {
            #expect(rules.outsideOfficeHours(try #require(Timestamp.parse(time))) == nil, "\(time)")
        }
        #expect(StuffingRules.officeHours("00:00-24:00").map { [$0.opens.minutes, $0.closes.minutes] } == [0, 1_440])
    }
}
