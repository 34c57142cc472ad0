import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// Issue "Every real input handled right", storing: limits counted as the database counts, one bad response
/// failing alone, one text form at every entry point, tickets validated like responses, re-keyed devices.
@Suite("Input faults: storing")
struct InputFaultsTests {
    static let family = "👨‍👩‍👧‍👦"  // one character on screen, seven code points

    /// The fields the citizen's form sends from a ticket link, with one answer, then `extra`.
    static func ticketForm(
        _ ticket: String, responseID: String = UUID().uuidString, language: String = "vi",
        _ extra: [(String, String)] = []
    ) -> [(String, String)] {
        [
            ("responseId", responseID), ("surveyVersion", "1"), ("lang", language), ("ticket", ticket),
            ("answer.r1", "5"),
        ] + extra
    }

    // MARK: - 1. Limits and one bad response in a group

    @Test(
        "a comment of 600 family emoji (4,200 code points) is a 422 naming the comment, not a 503; 1,000 code points store"
    )
    func emojiComment() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            let long = String(repeating: Self.family, count: 600)
            let refused = try await client.post(
                "/v1/responses", key: key, json: sipasResponse(extra: #","comment":"\#(long)""#))
            #expect(refused.status == .unprocessableContent)
            let errors = try #require(try refused.problem().errors)
            #expect(errors.first?.field == "comment")
            #expect(
                errors.first?.message.contains("4200 characters long (Unicode code points); at most 1000") == true)
            // The longest comment accepted: 142 families and 6 letters are 1,000 code points.
            let longest = String(repeating: Self.family, count: 142) + "abcdef"
            #expect(InputText.length(longest) == 1_000)
            #expect(
                try await client.post(
                    "/v1/responses", key: key, json: sipasResponse(extra: #","comment":"\#(longest)""#)
                ).status == .created)
            let over = longest + "g"
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse(extra: #","comment":"\#(over)""#))
                    .status == .unprocessableContent)
        }
        #expect(try await env.database.responseCount() == 1)
        #expect(try env.database.verify().isOK)
    }

    @Test("a response the database refuses inside a group fails alone (refused); the others of its group commit")
    func failsAlone() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let credential = try await env.device(key: key)
        let device = credential.device
        let writer = ResponseWriter(database: env.database, capacity: 1_000, logger: .init(label: "test"))
        let catalog = try await env.database.publishSurveys(
            SurveyFiles.load(from: env.configuration.surveysDirectory), now: TestEnvironment.now)
        let snapshot = try await UnitCache(database: env.database).current()
        struct NotStored: Error { let commit: ResponseWriter.Commit }
        func store(_ response: PreparedResponse) async throws -> [StoreOutcome] {
            let commit = try await writer.store(
                [response], premise: CommitPremise(device: credential, unitRevision: snapshot.revision))
            guard case .stored(let outcomes) = commit else { throw NotStored(commit: commit) }
            return outcomes
        }
        // Past validation on purpose: a comment longer than the schema's CHECK allows (4,000 code points).
        func prepared(_ number: Int, comment: String? = nil) throws -> PreparedResponse {
            let response = ValidResponse(
                id: GroupCommitTests.uuid(number), survey: "sipas", surveyVersion: 1, unit: "30172", procedure: nil,
                dossier: nil,
                channel: .desk, answers: [.init(item: "a1", value: 4)], expectations: [], comment: comment,
                respondent: [:],
                submittedAt: TestEnvironment.now)
            let (version, rowID) = try #require(snapshot.rowID("30172", on: response.submittedDate))
            return PreparedResponse(
                response: response, unitID: rowID, unitCode: version.code, deviceID: device.id, desk: device.desk,
                contentHash: SHA256Hex.of(response.canonicalContent(unit: version.code, device: String(device.id))),
                tallies: ResponseContribution.tallies(
                    answers: response.answers, expectations: [], definition: catalog.current("sipas")!),
                receivedAt: TestEnvironment.now)
        }
        let bad = try prepared(2, comment: String(repeating: Self.family, count: 600))
        let lock = try GroupCommitTests.WriteLock(path: env.configuration.databasePath)
        let first = Task { try await store(try prepared(0)) }
        try await waitUntil("a commit under way") { await writer.isCommitting }
        // These two wait behind the first commit and are stored in one group.
        let good = Task { try await store(try prepared(1)) }
        let refused = Task { try await store(bad) }
        try await waitUntil("2 responses queued") { await writer.depth >= 2 }
        try lock.release()
        #expect(try await first.value.count == 1)
        guard case .created = try await good.value[0] else { Issue.record("the good neighbour was not stored"); return }
        guard case .refused(_, let problem) = try await refused.value[0] else {
            Issue.record("the bad response did not fail alone"); return
        }
        #expect(problem.message.contains("CHECK constraint failed"))
        let statistics = await writer.statistics
        #expect(statistics.failedCommits == 0 && statistics.commits == 2)
        #expect(try await env.database.responseCount() == 2)
        #expect(try env.database.verify().isOK)  // the chain skips the refused one; the tallies match the rows
    }

    @Test("a response refused in its commit leaves its ticket unused; the citizen's corrected form is then stored")
    func ticketNotUsedUp() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            let ticket = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H35-1"}"#)
                .decode(TicketsController.Reply.self).ticket
            let form = try await client.page("/s/sipas?t=\(ticket)")
            let base = Self.ticketForm(ticket, responseID: try #require(form.hidden("responseId")))
            let refused = try await client.form("/s/sipas", base + [("comment", "tốt\u{0}lắm")])
            #expect(refused.status == .unprocessableContent)
            #expect(try await env.database.ticket(ticket)?.responseID == nil)
            #expect(try await client.form("/s/sipas", base + [("comment", "tốt lắm")]).text.contains("Cảm ơn"))
        }
        #expect(try await env.database.responseCount() == 1)
        // Inside the commit: a refused response's ticket claim is rolled back with it.
        let other = try await env.database.createTicket(
            unit: "875", procedure: nil, dossier: "H35-2", now: TestEnvironment.now, lifetime: 3600)
        let definition = try #require(
            try await env.database.publishSurveys(
                SurveyFiles.load(from: env.configuration.surveysDirectory), now: TestEnvironment.now
            ).current("sipas"))
        let response = ValidResponse(
            id: UUID().uuidString.lowercased(), survey: "sipas", surveyVersion: 1, unit: nil, procedure: nil,
            dossier: "H35-2",
            channel: .web, answers: [.init(item: "r1", value: 5)], expectations: [],
            comment: String(repeating: "x", count: 4_001),
            respondent: [:], submittedAt: TestEnvironment.now)
        let snapshot = try await UnitCache(database: env.database).current()
        let (version, rowID) = try #require(snapshot.rowID("875", on: response.submittedDate))
        let prepared = PreparedResponse(
            response: response, unitID: rowID, unitCode: version.code, deviceID: nil, desk: nil,
            contentHash: String(repeating: "0", count: 64),
            tallies: ResponseContribution.tallies(answers: response.answers, expectations: [], definition: definition),
            receivedAt: TestEnvironment.now, ticketID: other.id)
        let outcome = try await env.database.store([prepared], isolating: true)
        guard case .refused = outcome[0] else { Issue.record("expected refused, got \(outcome)"); return }
        #expect(try await env.database.ticket(other.id)?.responseID == nil)
    }

    @Test("a ticket's response that collides with another response's id is a conflict, and leaves the ticket unused")
    func ticketConflict() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let id = UUID().uuidString
        try await env.withApp { client in
            #expect(try await client.post("/v1/responses", key: key, json: sipasResponse(id: id)).status == .created)
            let ticket = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H35-7"}"#)
                .decode(TicketsController.Reply.self).ticket
            let taken = Self.ticketForm(ticket, responseID: id)
            #expect(try await client.form("/s/sipas", taken).status == .conflict)
            #expect(try await env.database.ticket(ticket)?.responseID == nil)
            let fresh = Self.ticketForm(ticket)
            #expect(try await client.form("/s/sipas", fresh).text.contains("Cảm ơn"))
        }
        #expect(try await env.database.responseCount() == 2)
    }

    // MARK: - 2. Text that is not what was validated

    @Test(
        "U+0000 and other control characters are refused with 422 naming the field, by the API, the form and the files")
    func controlCharacters() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            for (field, extra) in [
                ("comment", #","comment":"tốt\u0000 lắm""#), ("comment", #","comment":"a\u001Bb""#),
                ("procedure", #","procedure":"1.004\u0000873""#), ("dossier", #","dossier":"H35\u0007""#),
            ] {
                let reply = try await client.post("/v1/responses", key: key, json: sipasResponse(extra: extra))
                #expect(reply.status == .unprocessableContent, "\(extra)")
                let errors = try #require(try reply.problem().errors)
                #expect(errors.first?.field == field)
                #expect(errors.first?.message.contains("control character U+00") == true)
            }
            // Free text keeps line feeds and tabs; CRLF (what browsers send) becomes LF.
            #expect(
                try await client.post(
                    "/v1/responses", key: key, json: sipasResponse(extra: #","comment":"dòng 1\r\n\tdòng 2""#)
                ).status == .created)
            // By anyone, through a ticket link.
            let ticket = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H35-9"}"#)
                .decode(TicketsController.Reply.self).ticket
            let fields = Self.ticketForm(ticket, [("comment", "x\u{0}y")])
            #expect(try await client.form("/s/sipas", fields).status == .unprocessableContent)
        }
        let comments = try await env.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT comment FROM response")
        }
        #expect(comments == ["dòng 1\n\tdòng 2"])
        #expect(try env.database.verify().isOK)

        // A file: the line and field are named, nothing is imported.
        let file = env.directory + "/units.csv"
        try "code,name,level,parent,validFrom,validTo\n99,Tỉnh\u{0}X,province,,2025-07-01,\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        #expect { try UnitsFile.rows(path: file) } throws: { error in
            "\(error)".contains("line 2") && "\(error)".contains("field 2 contains the control character U+0000")
        }
        // A command-line argument.
        #expect {
            try env.database.addDevice(unit: "875", desk: "Một cửa\u{7}", label: nil, now: TestEnvironment.now)
        } throws: { error in
            "\(error)".contains("--desk: contains the control character U+0007")
        }
    }

    @Test("control characters at either end and invisible bidi or zero-width characters are refused, not dropped")
    func endsAndInvisibles() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        try await env.withApp { client in
            for (field, extra) in [
                ("procedure", #","procedure":"X\r""#), ("procedure", #","procedure":"\tX""#),
                ("comment", #","comment":"\u0085""#),
                ("comment", #","comment":"tốt \u202E lắm""#), ("dossier", #","dossier":"\u200BH35""#),
            ] {
                let reply = try await client.post("/v1/responses", key: key, json: sipasResponse(extra: extra))
                #expect(reply.status == .unprocessableContent, "\(extra)")
                #expect(try reply.problem().errors?.first?.field == field, "\(extra)")
            }
            // The joiners that emoji are made of stay.
            #expect(
                try await client.post(
                    "/v1/responses", key: key, json: sipasResponse(extra: #","comment":"\#(Self.family)""#)
                ).status == .created)
            // A form body that is not UTF-8 is refused, not stored with replacement characters.
            let ticket = try await client.post("/v1/tickets", key: key, json: #"{"dossier":"H35-8"}"#)
                .decode(TicketsController.Reply.self).ticket
            var body = ByteBuffer(
                string:
                    "responseId=\(UUID().uuidString)&surveyVersion=1&lang=vi&ticket=\(ticket)&answer.r1=5&comment=caf")
            body.writeBytes([0xE9, 0x20, 0xFF])
            let raw = try await client.execute(
                uri: "/s/sipas", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: body
            )
            #expect(raw.status == .badRequest)
            // On the form, a comment too long in code points says so (not "characters that cannot be recorded").
            let fields = Self.ticketForm(
                ticket, language: "en", [("comment", String(repeating: Self.family, count: 150))])
            let page = try await client.form("/s/sipas", fields)
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("1,050") || page.text.contains("1050"), "the count in code points")
        }
        #expect(try await env.database.responseCount() == 1)
    }

    @Test("the comment stored and chained is exactly the validated text: NFC, trimmed")
    func storedAsValidated() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let decomposed = "  Rất tốt  ".decomposedStringWithCanonicalMapping
        try await env.withApp { client in
            let json = try String(
                decoding: JSONSerialization.data(withJSONObject: ["comment": decomposed]), as: UTF8.self)
            let extra = "," + json.dropFirst().dropLast()
            #expect(
                try await client.post("/v1/responses", key: key, json: sipasResponse(extra: String(extra))).status
                    == .created)
        }
        let stored = try await env.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT comment FROM response")
        }
        #expect(stored.map { Array($0.utf8) } == Array("Rất tốt".precomposedStringWithCanonicalMapping.utf8))
        #expect(try env.database.verify().isOK)
    }

    // MARK: - 3. Two spellings of one name

    @Test("desks typed in NFC and NFD are one desk: in the index filter, in coverage, in the device list")
    func oneSpelling() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let composed = "Một cửa 1".precomposedStringWithCanonicalMapping
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let first = try env.deviceKey(desk: composed)
        let second = try env.deviceKey(desk: decomposed)
        let desks = try await env.database.devices().compactMap(\.desk).map { Array($0.utf8) }
        #expect(desks == [Array(composed.utf8), Array(composed.utf8)])
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { client in
            for key in [first, second] {
                for _ in 0..<3 {
                    #expect(try await client.post("/v1/responses", key: key, json: sipasResponse()).status == .created)
                }
            }
            for spelling in [composed, decomposed] {
                let desk = try #require(spelling.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                let index = try await client.get("/v1/index?unit=875&year=2024&desk=\(desk)", token: admin)
                    .decode(IndexController.Reply.self)
                #expect(index.respondents == 6, "desk spelled with \(spelling.unicodeScalars.count) code points")
            }
            let coverage = try await client.get("/v1/coverage?unit=875&year=2024", token: admin)
                .decode(CoverageReport.self)
            let commune = try #require(coverage.units.first { $0.unit == "30172" })
            #expect(commune.desks.map(\.responses) == [6])
        }
    }

    // MARK: - 4. A ticket accepts what its response will refuse

    @Test(
        "POST /v1/tickets refuses what a response would: 65-character codes, control characters, each naming its field")
    func ticketFields() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let key = try env.deviceKey()
        let long = String(repeating: "1", count: 65)
        try await env.withApp { client in
            for (body, field) in [
                (#"{"dossier":"H35-1","procedure":"\#(long)"}"#, "procedure"),
                (#"{"dossier":"H35\u0001"}"#, "dossier"),
                (#"{"dossier":"\#(long)"}"#, "dossier"),
                (#"{"dossier":""}"#, "dossier"),
                (#"{"dossier":"H35-1","unit":"30172\u0000"}"#, "unit"),
            ] {
                let reply = try await client.post("/v1/tickets", key: key, json: body)
                #expect(reply.status == .unprocessableContent, "\(body)")
                #expect(try reply.problem().errors?.map(\.field) == [field], "\(body)")
            }
            // At the limit, the ticket's response is accepted: one rule for both.
            let limit = String(repeating: "1", count: 64)
            let ticket = try await client.post(
                "/v1/tickets", key: key, json: #"{"dossier":"\#(limit)","procedure":"\#(limit)"}"#
            ).decode(TicketsController.Reply.self).ticket
            let fields = Self.ticketForm(ticket)
            #expect(try await client.form("/s/sipas", fields).text.contains("Cảm ơn"))
        }
    }

    // MARK: - 5. A re-keyed tablet is the same device

    @Test(
        "device rekey keeps the device: the old key gets 401, the backlog replays; a new device's resend is a 409 naming device"
    )
    func rekey() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let old = try env.deviceKey()
        let id = UUID().uuidString
        let device = try #require(try await env.database.devices().first)
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { client in
            let first = try await client.post("/v1/responses", key: old, json: sipasResponse(id: id))
            #expect(first.status == .created)
            let (rekeyed, new) = try #require(try env.database.rekeyDevice(id: device.id, now: TestEnvironment.now))
            #expect(rekeyed.id == device.id && rekeyed.desk == device.desk && rekeyed.revokedAt == nil)
            #expect(try await client.post("/v1/responses", key: old, json: sipasResponse()).status == .unauthorized)
            let replay = try await client.post("/v1/responses", key: new, json: sipasResponse(id: id))
            #expect(replay.status == .created && replay.headers[.idempotentReplayed] == "true")
            #expect(replay.text == first.text)

            // The README used to say revoke and add: that makes another device, and its resend is a conflict that says why.
            #expect(try env.database.revokeDevice(id: device.id, now: TestEnvironment.now))
            let other = try env.deviceKey()
            let conflict = try await client.post(
                "/v1/responses", key: other, json: sipasResponse(id: id, answers: #"{"a1":5,"a2":4,"s1":2}"#))
            #expect(conflict.status == .conflict)
            let body = try conflict.problem()
            #expect(body.errors?.map(\.field) == ["device", "answers.s1"])
            #expect(body.detail.contains("do not send it under a new id"))

            // A revoked device comes back with a new key, still the same device.
            let (_, revived) = try #require(try env.database.rekeyDevice(id: device.id, now: TestEnvironment.now))
            #expect(
                try await client.post("/v1/responses", key: revived, json: sipasResponse(id: id)).headers[
                    .idempotentReplayed] == "true")
            let audit = try await client.get("/v1/audit", token: admin).text
            #expect(audit.contains("device.rekey"))
        }
        #expect(try env.database.rekeyDevice(id: 999, now: TestEnvironment.now) == nil)
        #expect(try await env.database.responseCount() == 1)
    }
}
