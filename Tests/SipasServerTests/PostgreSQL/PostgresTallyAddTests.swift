import Foundation
import PostgresNIO
import SipasDomain
import Testing

@testable import SipasServer

@Suite("PostgreSQL's sipas_tally_add against TallyVector, on a real cluster")
struct PostgresTallyAddTests {
    /// A vector from `(key, count, sum, sum of squares)`.
    static func vector(_ entries: [(Int64, Int, Double, Double)]) -> TallyVector {
        TallyVector(entries.map { .init(key: $0.0, tally: Tally(count: $0.1, sum: $0.2, sumOfSquares: $0.3)) })
    }

    /// A questionnaire's worth of keys with shares whose sums round: the same seed gives the same vector.
    static func questionnaire(seed: UInt64, keys: Int = 130) -> TallyVector {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        return vector(
            (0..<keys).map { index in
                let respondents = Int(next() % 400)
                let share = Double(next() % 1000) / 999
                let shared = index % 3 == 0
                return (Int64(index * 2 + 1), respondents, shared ? share * 7 : 0, shared ? share * share * 7 : 0)
            })
    }

    /// Pairs of sheets (nil: NULL) and what each tests.
    static let pairs: [(String, TallyVector?, TallyVector?)] = [
        ("NULL and NULL: the empty sheet", nil, nil),
        ("the empty sheet and NULL", TallyVector(), nil),
        ("NULL and a sheet", nil, vector([(1, 3, 0, 0), (4, 2, 1.5, 1.25)])),
        ("a sheet and NULL", vector([(1, 3, 0, 0), (4, 2, 1.5, 1.25)]), nil),
        ("keys apart", vector([(1, 3, 0, 0), (9, 1, 0, 0)]), vector([(2, 5, 0, 0), (10, 1, 0.5, 0.25)])),
        (
            "keys in common, shares whose sums round",
            vector([(1, 1, 0.1, 0.01), (2, 2, 1.0 / 3, 1.0 / 9), (3, 1, 0, 0)]),
            vector([(1, 1, 0.2, 0.04), (2, 2, 2.0 / 3, 4.0 / 9), (3, 4, 0, 0)])
        ),
        (
            "shares that cancel to zero are not written",
            vector([(5, 1, 0.5, 0.25)]), vector([(5, 1, -0.5, -0.25)])
        ),
        (
            "counts and key gaps of several varint bytes",
            vector([(0, 0, 0, 0), (127, 127, 0, 0), (128, 128, 0, 0), (20_000, 70_000, 0, 0)]),
            vector([(128, 16_384, 0, 0), (3_000_000, 1, 1e-310, 5e-324), (1 << 40, 2_097_152, 1e300, 1e300)])
        ),
        ("two questionnaires", questionnaire(seed: 1), questionnaire(seed: 2)),
        ("a questionnaire and a part of one", questionnaire(seed: 3), questionnaire(seed: 4, keys: 40)),
    ]

    @Test("sipas_tally_add gives the bytes TallyVector.add gives, and the upsert of the tallies adds as on SQLite")
    func sameBytes() async throws {
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            try await PostgresMigrator.sipas.migrate(client, logger: PostgresTestCluster.logger)
            for (name, a, b) in Self.pairs {
                var expected = a ?? TallyVector()
                expected.add(b ?? TallyVector())
                var sum: Data?
                do {
                    for try await sheet in try await client.query(
                        "SELECT sipas_tally_add(\(a?.blob), \(b?.blob))"
                    ).decode(Data.self) { sum = sheet }
                } catch {
                    Issue.record("\(name): \(PostgresErrorText(error))")
                }
                #expect(sum == expected.blob, "\(name): equal bytes")
                #expect(try sum.map(TallyVector.init(blob:)) == expected, "\(name): equal sums")
            }

            // The writer's upsert, as on SQLite: the second insert of a row adds into it. PostgreSQL wants the conflict's
            // columns named where SQLite takes a bare ON CONFLICT.
            let (a, b) = (Self.questionnaire(seed: 5), Self.questionnaire(seed: 6))
            try await client.query(
                "INSERT INTO unit (code, name, level, parent, validFrom) VALUES ('87', 'Tỉnh', 'province', NULL, '2004-01-01')"
            )
            for sheet in [a, b] {
                try await client.query(
                    """
                    INSERT INTO tally_unit (survey, grain, unitId, period, surveyVersion, sheet)
                    VALUES ('sipas', 'year', (SELECT id FROM unit), '2024', 1, \(sheet.blob))
                    ON CONFLICT (survey, grain, unitId, period, surveyVersion)
                    DO UPDATE SET sheet = sipas_tally_add(tally_unit.sheet, excluded.sheet)
                    """)
            }
            var stored: [Data] = []
            for try await sheet in try await client.query("SELECT sheet FROM tally_unit").decode(Data.self) {
                stored.append(sheet)
            }
            var expected = a
            expected.add(b)
            #expect(stored == [expected.blob])
        }
        try await database.drop()
    }

    @Test(
        "a sheet that is not of format 1 stops the statement, as TallyVector refuses it",
        arguments: [
            Named("empty", (Data(), "a stored tally cannot be read: empty")),
            Named("another format", (Data([2, 2, 1]), "a stored tally cannot be read: format 2, not 1")),
            Named(
                "a number cut short", (Data([1, 0x82]), "a stored tally cannot be read: a number runs past the end")),
            Named(
                "a share cut short",
                (Data([1, 3, 1, 0, 0]), "a stored tally cannot be read: a share runs past the end")),
        ])
    func malformed(_ example: Named<(Data, String)>) async throws {
        let (sheet, message) = example.value
        #expect(throws: TallyVector.Malformed.self) { try TallyVector(blob: sheet) }
        let database = try await PostgresTestDatabase.make()
        try await database.withClient { (client: PostgresClient) async throws in
            try await PostgresMigrator.sipas.migrate(client, logger: PostgresTestCluster.logger)
            let error = await #expect(throws: (any Error).self) {
                try await client.query("SELECT sipas_tally_add(\(sheet), NULL)")
            }
            #expect(error.map { "\(PostgresErrorText($0))" }?.contains(message) == true, "\(String(describing: error))")
        }
        try await database.drop()
    }
}
