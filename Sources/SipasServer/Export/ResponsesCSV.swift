import Foundation
import SipasDomain

/// The response export's CSV, a piece at a time: the header (with the byte-order mark), then the rows of each page.
/// The pieces put together are the whole file, whatever the page size.
struct ResponsesCSV: Sendable {
    let items: [String]
    let profile: [String]
    /// Free comments and dossier numbers can point at a person, so only admins get them.
    let withPersonalText: Bool

    init(definition: SurveyDefinition, withPersonalText: Bool) {
        items = definition.items.map(\.id)
        profile = (definition.respondent ?? []).map(\.id)
        self.withPersonalText = withPersonalText
    }

    /// The byte-order mark and the header line.
    var header: String {
        var writer = CSVWriter()
        var header = [
            "id", "surveyVersion", "unit", "unitValidFrom", "procedure", "channel", "desk", "submittedAt",
            "submittedDate", "receivedAt",
        ]
        header += items + ["expectations"] + profile
        if withPersonalText { header += ["dossier", "comment"] }
        writer.row(header)
        return writer.text
    }

    /// The lines of some responses, in the order given.
    func rows(_ responses: [ExportedResponse]) -> String {
        var writer = CSVWriter(byteOrderMark: false)
        let decoder = JSONDecoder()
        for response in responses {
            let answers =
                response.respondent.flatMap { try? decoder.decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            var row = [
                response.id, String(response.surveyVersion), response.unit, response.unitValidFrom,
                response.procedure ?? "", response.channel,
                response.desk ?? "",
                response.submittedAt, response.submittedDate, response.receivedAt,
            ]
            row += items.map { response.answers[$0].map(String.init) ?? "" }
            row.append(response.expectations.sorted().joined(separator: ";"))
            row += profile.map { answers[$0] ?? "" }
            if withPersonalText { row += [response.dossier ?? "", response.comment ?? ""] }
            writer.row(row)
        }
        return writer.text
    }
}
