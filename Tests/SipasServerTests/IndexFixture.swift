import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

/// A small, fully known data set posted through the real API: Lấp Vò in 2024 (two communes and the
/// district's own desk) and the new Xã Lấp Vò in August 2025. It is posted by ``withApp(_:_:)`` through the app the
/// test itself runs, so a test builds one app over one open database.
struct IndexFixture: Sendable {
    let env: TestEnvironment
    let admin: String
    let districtOfficial: String
    let communeOfficial: String
    let deviceKey: String
    /// The batches to post: the device's key, the batch body, and how many it creates.
    private let batches: [(key: String, body: String, created: Int)]

    static let now = Timestamp.parse("2026-01-15T10:00:00+07:00")!

    /// Deterministic answers: a small linear congruential generator, so every run posts the same data.
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func responses(
        count: Int, unit: String, year: Int, months: ClosedRange<Int>, channel: String, dice: inout Dice,
        comment: String? = nil
    ) -> [String] {
        let items = [
            "a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5", "r1", "r2", "r3", "f1", "f2",
            "f3",
        ]
        return (0..<count).map { index in
            var answers: [String] = []
            for item in items where dice.next(10) < 8 {  // about one item in five left unanswered
                answers.append("\"\(item)\":\(1 + dice.next(5))")
            }
            if answers.isEmpty { answers = ["\"a1\":4"] }
            let month = months.lowerBound + index % months.count
            let day = 1 + dice.next(28)
            let date = String(format: "%04d-%02d-%02dT09:%02d:00+07:00", year, month, day, dice.next(60))
            let expectation = ["shorter-time", "simpler-procedures", "online-services"][dice.next(3)]
            let text = comment.map { #","comment":"\#($0)""# } ?? ""
            return
                #"{"id":"\#(UUID().uuidString)","survey":"sipas","surveyVersion":1,"unit":"\#(unit)","channel":"\#(channel)","#
                + #""procedure":"1.00\#(dice.next(3))","answers":{\#(answers.joined(separator: ","))},"expectations":["\#(expectation)"],"#
                + #""submittedAt":"\#(date)"\#(text)}"#
        }
    }

    /// The environment, its tokens and devices, and the data set to post.
    init() async throws {
        var env = try TestEnvironment()
        env.configuration.now = { IndexFixture.now }
        self.env = env
        deviceKey = try env.deviceKey(unit: "875")
        let newCommune = try env.deviceKey(unit: "82")
        admin = try await env.database.addToken(role: .admin, unit: nil, label: "admin", now: Self.now).key
        districtOfficial = try await env.database.addToken(
            role: .official, unit: "875", label: "Phòng Nội vụ", now: Self.now
        )
        .key
        communeOfficial = try await env.database.addToken(
            role: .official, unit: "30172", label: "UBND xã", now: Self.now
        ).key

        var dice = Dice(state: 42)
        let old =
            Self.responses(count: 40, unit: "30172", year: 2024, months: 1...12, channel: "desk", dice: &dice)
            + Self.responses(
                count: 12, unit: "30169", year: 2024, months: 3...5, channel: "kiosk", dice: &dice,
                comment: "=HYPERLINK(\\\"x\\\")")
            + Self.responses(count: 3, unit: "875", year: 2024, months: 6...6, channel: "desk", dice: &dice)
        let new = Self.responses(count: 10, unit: "30169", year: 2025, months: 8...8, channel: "desk", dice: &dice)
        batches = [
            (deviceKey, #"{"responses":[\#(old.joined(separator: ","))]}"#, 55),
            (newCommune, #"{"responses":[\#(new.joined(separator: ","))]}"#, 10),
        ]
    }

    /// Builds the app once, posts the data set through its API, then runs `body` against the same app. Called once a
    /// test: a second call would post the data set again.
    func withApp(
        _ configuration: AppConfiguration? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let batches = self.batches
        try await env.withApp(configuration) { (client: any TestClientProtocol) async throws in
            for batch in batches {
                let posted = try await client.post("/v1/responses/batch", key: batch.key, json: batch.body)
                #expect(try posted.decode(ResponsesController.BatchReply.self).created == batch.created)
            }
            try await body(client)
        }
    }

    /// The figures recomputed straight from the raw answers, by SQL, for the unit versions and dates given.
    func recompute(unitIDs: String, from: String, to: String, extra: String = "") async throws -> (
        sipas: Double, elements: [String: Double], items: [String: Double], respondents: Int
    ) {
        try await env.database.writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.item, 100.0 * SUM(a.value IN (4, 5)) / COUNT(*) AS idx
                    FROM response_answer a JOIN response r ON r.seq = a.responseSeq
                    WHERE r.survey = 'sipas' AND r.unitId IN (\(unitIDs)) AND r.submittedDate BETWEEN ? AND ? \(extra)
                    GROUP BY a.item
                    """, arguments: [from, to])
            let respondents =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM response r WHERE r.survey = 'sipas' AND r.unitId IN (\(unitIDs))
                        AND r.submittedDate BETWEEN ? AND ? \(extra)
                        """, arguments: [from, to]) ?? 0
            var items: [String: Double] = [:]
            for row in rows { items[row["item"]] = row["idx"] }
            let groups = [
                "access": ["a1", "a2", "a3", "a4"], "procedure": ["p1", "p2", "p3", "p4"],
                "staff": ["s1", "s2", "s3", "s4", "s5"],
                "result": ["r1", "r2", "r3"], "feedback": ["f1", "f2", "f3"],
            ]
            var elements: [String: Double] = [:]
            for (element, members) in groups {
                let values = members.compactMap { items[$0] }
                if !values.isEmpty { elements[element] = values.reduce(0, +) / Double(values.count) }
            }
            let sipas = elements.values.reduce(0, +) / Double(elements.count)
            return (sipas, elements, items, respondents)
        }
    }

    func unitIDs(_ codes: [String], validFrom: String = "2004-01-01") async throws -> String {
        try await env.database.writer.read { db in
            try Int64.fetchAll(
                db,
                sql:
                    "SELECT id FROM unit WHERE code IN (\(codes.map { "'\($0)'" }.joined(separator: ","))) AND validFrom = ?",
                arguments: [validFrom]
            )
            .map(String.init).joined(separator: ",")
        }
    }
}

extension TestClientProtocol {
    /// GETs with a bearer token.
    func get(_ uri: String, token: String?, accept: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let accept { headers[.accept] = accept }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}
