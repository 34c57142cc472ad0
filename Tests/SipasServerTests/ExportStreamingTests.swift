import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("The response export is streamed")
struct ExportStreamingTests {
    @Test(
        "3,456 responses over a socket: chunked, no Content-Length, every row in order, as one read writes them"
    )
    func manyRows() async throws {
        let env = try TestEnvironment()
        defer { env.remove() }
        let admin = try env.token(.admin, unit: nil)
        let app = try await buildApplication(env.configuration, database: env.database)  // publishes the surveys the generator answers
        let count = 3_456  // three full pages and part of a fourth
        #expect(try await DemoResponses(year: 2024).seed(count: count, database: env.database) == count)
        let expected = try await env.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM response WHERE survey = 'sipas' ORDER BY seq")
        }
        try await app.test(.live) { client in
            let response = try await client.get("/v1/export/responses.csv?unit=875&year=2024", token: admin)
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == nil)
            #expect(response.headers[.transferEncoding] == "chunked")
            let records = try CSVReader.records(response.text)
            #expect(records.count == 1 + count)
            let header = try #require(records.first?.fields)
            let ids = records.dropFirst().map { $0.fields[0] }
            #expect(ids.count == expected.count && ids.first == expected.first && ids.last == expected.last)
            #expect(ids == expected)

            // The pages put together are exactly what the whole export read at once writes.
            let units = try await env.database.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM unit") }
            let everything = [
                TallyFetch.Range(
                    from: LocalDate("2024-01-01")!, to: LocalDate("2024-12-31")!,
                    units: Dictionary(uniqueKeysWithValues: units.map { ($0, "") }))
            ]
            let whole = try await env.database.exportPage(
                survey: "sipas", ranges: everything, after: 0, through: .max, limit: .max)
            let definition = try #require(try await env.database.surveyCatalog().current("sipas"))
            let csv = ResponsesCSV(definition: definition, withPersonalText: true)
            #expect(response.text == csv.header + csv.rows(whole))

            // The last row's answers are the stored ones.
            let last = try #require(records.last?.fields)
            let stored = try env.database.writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT item, value FROM response_answer WHERE responseSeq = (SELECT MAX(seq) FROM response)")
            }
            #expect(!stored.isEmpty)
            for row in stored {
                let column = try #require(header.firstIndex(of: row["item"] as String))
                #expect(last[column] == String(row["value"] as Int))
            }
        }
    }
}
