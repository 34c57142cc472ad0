import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

extension TestResponse {
    /// Every form control of an HTML page: its tag, type, name and value, in order.
    var controls: [(tag: String, type: String, name: String, value: String)] {
        func attribute(_ name: String, in tag: Substring) -> String {
            guard let range = tag.range(of: " \(name)=\"") else { return "" }
            return String(tag[range.upperBound...].prefix { $0 != "\"" })
        }
        var found: [(String, String, String, String)] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<"), let close = rest[open.upperBound...].firstIndex(of: ">") {
            let tag = rest[open.upperBound..<close]
            let kind = String(tag.prefix { $0.isLetter }).lowercased()
            if ["input", "select", "textarea", "button"].contains(kind), tag.contains(" name=\"") {
                found.append(
                    (kind, attribute("type", in: tag), attribute("name", in: tag), attribute("value", in: tag)))
            }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }
}

@Suite("The citizen's form: every control named after its question, errors that name their question")
struct SurveyFormTests {
    /// The questions of sipas v1 (Surveys/sipas.v1.json): items, then expectations, comment, gender, age group.
    static let items = [
        "a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5", "r1", "r2", "r3", "f1", "f2",
        "f3",
    ]

    @Test("each radio group is one question's options; a form filled in full, optional profile included, is stored")
    func fullForm() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(unit: "30172")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let definition = try #require(try await env.database.surveyCatalog().current("sipas"))
            let form = try await client.page("/s/sipas", cookies: ["sipas_device": key])
            #expect(form.status == .ok)
            let radios = Dictionary(grouping: form.controls.filter { $0.type == "radio" }, by: \.name).mapValues {
                $0.map(\.value)
            }
            var expected = Dictionary(
                uniqueKeysWithValues: Self.items.map { ("answer.\($0)", ["1", "2", "3", "4", "5"]) })
            for question in definition.respondent ?? [] {
                expected["respondent.\(question.id)"] = question.options.map(\.id)
            }
            #expect(radios == expected)
            let checkboxes = form.controls.filter { $0.type == "checkbox" }
            #expect(
                Set(checkboxes.map(\.name)) == ["expectation"]
                    && checkboxes.count == definition.expectations?.options.count)
            // The questions are numbered on the form, as the errors name them.
            #expect(form.text.contains("<legend>1. Thông tin về thủ tục hành chính"))
            #expect(form.text.contains("<h2>22. Giới tính</h2>") && form.text.contains("<h2>23. "))

            var fields = [
                ("responseId", try #require(form.hidden("responseId"))), ("surveyVersion", "1"), ("lang", "vi"),
            ]
            fields += Self.items.enumerated().map { ("answer.\($1)", "\(1 + $0 % 5)") }
            fields += [
                ("expectation", "shorter-time"), ("expectation", "lower-fees"), ("expectation", "online-services"),
            ]
            fields += [
                ("comment", "Cán bộ nhiệt tình"), ("respondent.gender", "female"), ("respondent.ageGroup", "25-39"),
            ]
            let sent = try await client.form("/s/sipas", fields, cookies: ["sipas_device": key])
            #expect(sent.status == .ok && sent.text.contains("Cảm ơn"), "\(sent.text)")
        }
        let stored = try await env.database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT respondent, comment, (SELECT count(*) FROM response_answer) AS answers FROM response")
        }
        #expect(stored?["respondent"] as String? == #"{"ageGroup":"25-39","gender":"female"}"#)
        #expect(stored?["answers"] as Int? == 19 && stored?["comment"] as String? == "Cán bộ nhiệt tình")
    }

    @Test(
        "each error names its question and what is wrong, beside the question and in the summary, in the form's language",
        arguments: [
            (
                "vi",
                "Câu 2 «Nơi tiếp nhận và trả kết quả có biển hiệu, chỉ dẫn rõ ràng, dễ thấy»: Mức đánh giá không có trong thang 1-5",
                "Câu 20 «", "Chỉ chọn tối đa 3 mục (đã chọn 4).",
                "Ý kiến dài tối đa 1.000 ký tự (ý kiến này dài 1.004 ký tự).",
                "Câu 22 «Giới tính»: Lựa chọn không có trong danh sách"
            ),
            (
                "en",
                "Question 2 “The service point has clear, visible signs and directions”: That answer is not on the scale 1-5",
                "Question 20 “", "Please choose at most 3 (you chose 4).",
                "A comment may be at most 1,000 characters (this one has 1,004).",
                "Question 22 “Gender”: That choice is not on the list"
            ),
        ].map { Named($0.0 == "vi" ? "in Vietnamese" : "in English", $0) })
    func namedErrors(_ form: Named<(String, String, String, String, String, String)>) async throws {
        let (language, scale, expectations, tooMany, comment, gender) = form.value
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey(unit: "30172")
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let fields = [
                ("responseId", UUID().uuidString), ("surveyVersion", "1"), ("lang", language), ("answer.a1", "4"),
                ("answer.a2", "9"),
                ("expectation", "shorter-time"), ("expectation", "lower-fees"), ("expectation", "online-services"),
                ("expectation", "staff-attitude"), ("comment", String(repeating: "x", count: 1_001) + "<b>"),
                ("respondent.gender", "robot"),
            ]
            let page = try await client.form("/s/sipas", fields, cookies: ["sipas_device": key])
            #expect(page.status == .unprocessableContent)
            let summary = try #require(
                page.text.components(separatedBy: "class=\"error-summary\"").dropFirst().first?.components(
                    separatedBy: "</div>"
                ).first)
            for expected in [scale, expectations, tooMany, comment, gender] {
                #expect(summary.contains(expected), "\(expected)\n\(summary)")
            }
            #expect(summary.contains("href=\"#answers.a2\"") && summary.contains("href=\"#respondent.gender\""))
            // Beside each question: what is wrong (its number and text are the question's own legend).
            #expect(page.text.contains(#"<p class="field-error" id="error-a2" role="alert">"#))
            #expect(
                page.text.contains(#"id="error-respondent-gender""#) && page.text.contains(#"id="error-expectations""#))
            #expect(!page.text.contains("Phiếu chưa hợp lệ") && !page.text.contains("The form is not valid"))
            #expect(page.text.contains("&lt;b&gt;") && !page.text.contains("<b>"))
            // What was typed stays, so only the wrong answers need to be given again.
            #expect(page.text.contains(#"name="answer.a1" value="4" checked"#))
        }
        #expect(try await env.database.responseCount() == 0)
    }

    @Test("a tablet sent to sign in from the quick form gets the quick form chosen in the sign-in's list")
    func deviceSigninKeepsSurvey() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        try await env.withApp { (client: any TestClientProtocol) async throws in
            let away = try await client.page("/s/quick?lang=en")
            #expect(away.status == .seeOther && away.headers[.location] == "/device?lang=en&survey=quick")
            let signin = try await client.page("/device?lang=en&survey=quick")
            #expect(
                signin.text.contains(#"<option value="quick" selected>"#)
                    && signin.text.contains(#"<option value="sipas">"#))
        }
    }
}
