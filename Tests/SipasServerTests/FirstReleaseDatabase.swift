import Foundation
import GRDB

@testable import SipasServer

/// A database file as the first release (01f48ae) left it: its schema, made by today's migrator run up to v1 only,
/// and data written with that release's own INSERT statements, in the form that release gave each value.
///
/// Nothing here calls today's storage code: what the first release wrote stays what it wrote, whatever the code
/// becomes. The survey definitions are the canonical JSON it stored (`Tests/fixtures/first-release/`).
enum FirstReleaseDatabase {
    /// The first migration, the whole schema of the first release.
    static let firstMigration = "v1: surveys, units, devices, tokens, responses"

    /// A desk typed in decomposed form, as the first release took it from `sipas device add` (v12 rewrites the
    /// device's desk in NFC; the responses keep theirs, which their chain covers).
    static let decomposedDesk = "Một cửa 1".decomposedStringWithCanonicalMapping

    /// One response as the first release stored it; `answers` in any order, as the rows come.
    struct Response {
        let id: String
        let survey: String
        let unit: String
        /// 1: the desk tablet, 2: the kiosk.
        let device: Int64
        let procedure: String?
        let dossier: String?
        /// UTC with milliseconds; the local (UTC+7) date is the submitted date.
        let submittedAt: String
        let submittedDate: String
        let receivedAt: String
        let comment: String?
        /// Sorted-keys JSON, as the first release encoded the profile; nil when empty.
        let respondent: String?
        let answers: [(item: String, value: Int)]
        let expectations: [String]

        var channel: String { device == 1 ? "desk" : "kiosk" }
    }

    /// Every item of the sipas survey, version 1.
    static let sipasItems = [
        "a1", "a2", "a3", "a4", "p1", "p2", "p3", "p4", "s1", "s2", "s3", "s4", "s5", "r1", "r2", "r3", "f1", "f2",
        "f3",
    ]

    /// Desk and kiosk responses over two months and two years, two with comments, one whose UTC and local dates
    /// differ. Overall shares of the sipas ones: 1, ½, ⅔ and 0.
    static let responses: [Response] = [
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c01", survey: "sipas", unit: "30172", device: 1,
            procedure: "1.004227", dossier: "H33.99-241128-0001", submittedAt: "2024-11-28T02:30:00.000Z",
            submittedDate: "2024-11-28", receivedAt: "2024-11-28T02:30:01.204Z", comment: "Cán bộ tận tình",
            respondent: #"{"ageGroup":"25-39","gender":"female"}"#, answers: sipasItems.map { ($0, 5) },
            expectations: ["shorter-time", "staff-attitude"]),
        // After midnight in Vietnam, before it in UTC: the local date counts.
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c02", survey: "sipas", unit: "30169", device: 2, procedure: nil,
            dossier: nil, submittedAt: "2024-11-28T17:45:00.000Z", submittedDate: "2024-11-29",
            receivedAt: "2024-11-29T01:02:13.876Z", comment: nil, respondent: nil,
            answers: [("s1", 5), ("a2", 2), ("p1", 3), ("a1", 4), ("s2", 5), ("s3", 5), ("s4", 4), ("s5", 5)],
            expectations: []),
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c03", survey: "sipas", unit: "30172", device: 1, procedure: nil,
            dossier: nil, submittedAt: "2024-12-02T03:00:00.000Z", submittedDate: "2024-12-02",
            receivedAt: "2024-12-02T03:00:00.511Z", comment: "Chờ lâu quá", respondent: #"{"gender":"male"}"#,
            answers: [("a1", 1), ("r1", 5), ("f1", 4)], expectations: ["lower-fees"]),
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c04", survey: "quick", unit: "30172", device: 2, procedure: nil,
            dossier: nil, submittedAt: "2024-12-02T04:00:00.000Z", submittedDate: "2024-12-02",
            receivedAt: "2024-12-02T04:00:00.090Z", comment: nil, respondent: nil, answers: [("rating", 2)],
            expectations: []),
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c05", survey: "quick", unit: "30172", device: 2, procedure: nil,
            dossier: nil, submittedAt: "2025-01-06T02:00:00.000Z", submittedDate: "2025-01-06",
            receivedAt: "2025-01-06T02:00:00.301Z", comment: nil, respondent: nil, answers: [("rating", 1)],
            expectations: []),
        Response(
            id: "0b6f1a8e-3c1d-4a53-9c1e-5f0b7d2a1c06", survey: "sipas", unit: "30172", device: 1,
            procedure: "1.004227", dossier: nil, submittedAt: "2025-01-06T02:10:00.000Z",
            submittedDate: "2025-01-06", receivedAt: "2025-01-06T02:10:00.733Z", comment: nil,
            respondent: #"{"ageGroup":"60-plus"}"#, answers: sipasItems.map { ($0, 3) }, expectations: []),
    ]

    // MARK: - Writing the file

    /// Creates the file at `path` with the first release's schema and data, and closes it.
    static func write(to path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteDatabase.migrator.migrate(pool, upTo: firstMigration)
        try pool.write { db in
            try publishSurveys(db)
            try importUnits(db)
            try addCredentials(db)
            try store(db)
        }
        try pool.close()
    }

    /// `publishSurveys`: the canonical JSON and its SHA-256.
    private static func publishSurveys(_ db: Database) throws {
        for survey in ["sipas", "quick"] {
            let path = TestEnvironment.repository.appendingPathComponent(
                "Tests/fixtures/first-release/\(survey).v1.json")
            let canonical = try String(contentsOf: path, encoding: .utf8)
            try db.execute(
                sql:
                    "INSERT INTO survey_version (survey, version, definition, digest, publishedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [survey, 1, canonical, SHA256Hex.of(canonical), "2024-11-01T01:00:00.000Z"])
        }
    }

    /// `importUnits` of the first sample units: the province, the district and two of its communes.
    private static func importUnits(_ db: Database) throws {
        let units = [
            ("87", "Tỉnh Đồng Tháp", "province", nil), ("875", "Huyện Lấp Vò", "district", "87"),
            ("30169", "Thị trấn Lấp Vò", "commune", "875"), ("30172", "Xã Mỹ An Hưng A", "commune", "875"),
        ]
        for (code, name, level, parent) in units {
            try db.execute(
                sql: """
                    INSERT INTO unit (code, name, level, parent, validFrom, validTo) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code, validFrom) DO UPDATE SET
                        name = excluded.name, level = excluded.level, parent = excluded.parent, validTo = excluded.validTo
                    """,
                arguments: [code, name, level, parent, "2004-01-01", "2025-06-30"])
        }
    }

    /// `addDevice` (a desk tablet, then a kiosk) and `addToken` (an official of the district).
    private static func addCredentials(_ db: Database) throws {
        let devices: [(String, String?, String)] = [
            ("sipas_dev_first-release-desk", decomposedDesk, "Quầy 1"),
            ("sipas_dev_first-release-kiosk", nil, "Kiosk sảnh"),
        ]
        for (key, desk, label) in devices {
            try db.execute(
                sql: "INSERT INTO device (keyHash, unit, desk, label, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [SHA256Hex.of(key), "875", desk, label, "2024-11-01T02:00:00.000Z"])
        }
        try db.execute(
            sql: "INSERT INTO access_token (keyHash, role, unit, label, createdAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                SHA256Hex.of("sipas_tok_first-release-official"), "official", "875", "Phòng Nội vụ",
                "2024-11-01T02:05:00.000Z",
            ])
    }

    /// `store`: each response with the row id of its unit's version, the device's desk, its answers and options.
    private static func store(_ db: Database) throws {
        for response in responses {
            let unitID = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ?", arguments: [response.unit])
            let desk = try String.fetchOne(
                db, sql: "SELECT desk FROM device WHERE id = ?", arguments: [response.device])
            let seq = try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO response (id, survey, surveyVersion, unitId, unit, deviceId, desk, procedure, dossier, channel,
                                          submittedAt, submittedDate, receivedAt, comment, respondent, contentHash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    RETURNING seq
                    """,
                arguments: [
                    response.id, response.survey, 1, unitID, response.unit, response.device, desk, response.procedure,
                    response.dossier, response.channel, response.submittedAt, response.submittedDate,
                    response.receivedAt, response.comment, response.respondent, contentHash(response),
                ])
            for answer in response.answers {
                try db.execute(
                    sql: "INSERT INTO response_answer (responseSeq, item, value) VALUES (?, ?, ?)",
                    arguments: [seq, answer.item, answer.value])
            }
            for option in response.expectations {
                try db.execute(
                    sql: "INSERT INTO response_expectation (responseSeq, option) VALUES (?, ?)",
                    arguments: [seq, option])
            }
        }
    }

    /// The first release's content hash: SHA-256 of its `sipas-response/1` text (answers by item, options sorted).
    private static func contentHash(_ response: Response) -> String {
        func field(_ name: String, _ value: String?) -> String {
            let text = value ?? "∅"
            return "\(name)=\(text.utf8.count):\(text)\n"
        }
        var text = "sipas-response/1\n"
        text += field("id", response.id) + field("survey", response.survey) + field("surveyVersion", "1")
        text += field("unit", response.unit) + field("device", String(response.device))
        text += field("procedure", response.procedure) + field("dossier", response.dossier)
        text += field("channel", response.channel)
        for answer in response.answers.sorted(by: { $0.item < $1.item }) {
            text += field("answer.\(answer.item)", String(answer.value))
        }
        for option in response.expectations.sorted() { text += field("expectation", option) }
        text += field("comment", response.comment)
        if let respondent = response.respondent,
            let profile = try? JSONDecoder().decode([String: String].self, from: Data(respondent.utf8))
        {
            for key in profile.keys.sorted() { text += field("respondent.\(key)", profile[key]) }
        }
        return SHA256Hex.of(text + field("submittedAt", response.submittedAt))
    }
}
