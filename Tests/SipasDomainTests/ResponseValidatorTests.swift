import Foundation
import Testing

@testable import SipasDomain

@Suite("Response validation")
struct ResponseValidatorTests {
    static let now = Timestamp.parse("2024-11-29T10:00:00+07:00")!
    let validator = ResponseValidator(
        catalog: SurveyCatalog([Fixtures.survey(), Fixtures.survey(version: 2), Fixtures.quick()]))

    static func valid() -> ResponseSubmission {
        ResponseSubmission(
            id: "6F9619FF-8B86-D011-B42D-00C04FC964FF", survey: "sipas", surveyVersion: 1, unit: "30172",
            procedure: " 1.001234 ", dossier: "H35.22-241129-0001", channel: "desk", answers: ["a1": 5, "s1": 3],
            expectations: ["kinder", "faster"], comment: "  Tốt lắm ", respondent: ["gender": "female"],
            submittedAt: "2024-11-29T09:15:30.1234+07:00")
    }

    @Test("a valid response is normalised")
    func normalised() throws {
        let response = try validator.validate(Self.valid(), now: Self.now).get()
        #expect(response.id == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
        #expect(response.procedure == "1.001234")
        #expect(response.answers == [.init(item: "a1", value: 5), .init(item: "s1", value: 3)])
        #expect(response.expectations == ["faster", "kinder"])
        #expect(response.comment == "Tốt lắm")
        #expect(Timestamp.format(response.submittedAt) == "2024-11-29T02:15:30.123Z")
        #expect(response.submittedDate.description == "2024-11-29")
    }

    @Test("the local date is Vietnam's: 23:30 UTC is already the next day")
    func localDate() throws {
        var submission = Self.valid()
        submission.submittedAt = "2024-11-27T23:30:00Z"
        #expect(try validator.validate(submission, now: Self.now).get().submittedDate.description == "2024-11-28")
    }

    @Test("an older stored version is accepted (kiosks update late)")
    func olderVersion() throws {
        var submission = Self.valid()
        submission.surveyVersion = 2
        #expect(try validator.validate(submission, now: Self.now).get().surveyVersion == 2)
    }

    /// Each case breaks one rule; the problem must name the field.
    static let cases: [(String, @Sendable (inout ResponseSubmission) -> Void, String)] = [
        ("missing id", { $0.id = nil }, "id"),
        ("malformed id", { $0.id = "12345" }, "id"),
        ("missing survey", { $0.survey = nil }, "survey"),
        ("unknown survey", { $0.survey = "other" }, "survey"),
        ("missing version", { $0.surveyVersion = nil }, "surveyVersion"),
        ("unknown version", { $0.surveyVersion = 9 }, "surveyVersion"),
        ("missing channel", { $0.channel = nil }, "channel"),
        ("unknown channel", { $0.channel = "fax" }, "channel"),
        ("missing answers", { $0.answers = nil }, "answers"),
        ("empty answers", { $0.answers = [:] }, "answers"),
        ("unknown item", { $0.answers = ["zz": 3] }, "answers.zz"),
        ("value above the scale", { $0.answers = ["a1": 6] }, "answers.a1"),
        ("zero is not 'no answer'", { $0.answers = ["a1": 0] }, "answers.a1"),
        ("unknown expectation", { $0.expectations = ["free-coffee"] }, "expectations"),
        ("same expectation twice", { $0.expectations = ["faster", "faster"] }, "expectations"),
        ("too many expectations", { $0.expectations = ["faster", "cheaper", "kinder"] }, "expectations"),
        ("comment over the survey's limit", { $0.comment = String(repeating: "ư", count: 21) }, "comment"),
        ("unknown respondent question", { $0.respondent = ["phone": "0909"] }, "respondent.phone"),
        ("unknown respondent option", { $0.respondent = ["gender": "robot"] }, "respondent.gender"),
        ("missing submittedAt", { $0.submittedAt = nil }, "submittedAt"),
        ("submittedAt without offset", { $0.submittedAt = "2024-11-29T09:15:30" }, "submittedAt"),
        ("submittedAt not a date", { $0.submittedAt = "yesterday" }, "submittedAt"),
        ("submittedAt 11 minutes ahead", { $0.submittedAt = "2024-11-29T10:11:00+07:00" }, "submittedAt"),
        ("procedure code too long", { $0.procedure = String(repeating: "x", count: 65) }, "procedure"),
        ("dossier with a control character", { $0.dossier = "H35\u{0007}" }, "dossier"),
    ]

    @Test("each broken rule is refused, naming its field", arguments: cases.indices.map { Named(cases[$0].0, $0) })
    func refused(_ example: Named<Int>) {
        // By index: a closure taken out of a generic case crashes the Swift 6.3 compiler (SILGen ownership).
        let (name, breakIt, field) = Self.cases[example.value]
        var submission = Self.valid()
        breakIt(&submission)
        switch validator.validate(submission, now: Self.now) {
        case .success: Issue.record("\(name): accepted")
        case .failure(let invalid): #expect(invalid.problems.map(\.field).contains(field), "\(name): \(invalid)")
        }
    }

    @Test("a submission 9 minutes ahead passes (clock drift)")
    func smallSkew() {
        var submission = Self.valid()
        submission.submittedAt = "2024-11-29T10:09:00+07:00"
        #expect((try? validator.validate(submission, now: Self.now).get()) != nil)
    }

    @Test("a required item must be answered; the quick rating takes 1-3 only")
    func quickSurvey() {
        var submission = ResponseSubmission(
            id: UUID().uuidString, survey: "quick", surveyVersion: 1, channel: "kiosk", answers: ["rating": 3],
            submittedAt: "2024-11-29T09:00:00+07:00")
        #expect((try? validator.validate(submission, now: Self.now).get()) != nil)
        submission.answers = ["rating": 4]
        #expect((try? validator.validate(submission, now: Self.now).get()) == nil)
        submission.comment = "x"
        submission.answers = ["rating": 2]
        guard case .failure(let invalid) = validator.validate(submission, now: Self.now) else {
            Issue.record("a comment was accepted by a survey that takes none")
            return
        }
        #expect(invalid.problems.map(\.field) == ["comment"])
    }

    @Test("every problem is reported at once")
    func allProblems() {
        let submission = ResponseSubmission(id: "x", survey: "sipas", surveyVersion: 1, answers: ["a1": 9])
        guard case .failure(let invalid) = validator.validate(submission, now: Self.now) else {
            Issue.record("accepted")
            return
        }
        #expect(Set(invalid.problems.map(\.field)) == ["id", "channel", "submittedAt", "answers.a1"])
    }

    @Test("the content text tells a resend from a different response")
    func canonicalContent() throws {
        let first = try validator.validate(Self.valid(), now: Self.now).get()
        var reordered = Self.valid()
        reordered.expectations = ["faster", "kinder"]
        reordered.submittedAt = "2024-11-29T02:15:30.123Z"
        let same = try validator.validate(reordered, now: Self.now).get()
        #expect(first.canonicalContent(unit: "30172", device: "1") == same.canonicalContent(unit: "30172", device: "1"))
        var changed = Self.valid()
        changed.answers = ["a1": 4, "s1": 3]
        let other = try validator.validate(changed, now: Self.now).get()
        #expect(
            first.canonicalContent(unit: "30172", device: "1") != other.canonicalContent(unit: "30172", device: "1"))
        #expect(
            first.canonicalContent(unit: "30172", device: "1") != first.canonicalContent(unit: "30172", device: "2"))
    }
}
