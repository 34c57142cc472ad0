import Foundation
import GRDB
import SipasDomain

/// Which fields make a sent response different from the one stored under its id, for the 409 that says so.
///
/// A resend that differs only by its sender (a device registered again instead of re-keyed) is the same
/// citizen's response: it is already counted, and sending it under a new id would count it twice. The
/// answer names the sender so that the operator can tell that case from a client reusing ids.
enum ResponseDifferences {
    /// One problem per differing field, `field` named as in the request body (`answers.a1`, `comment`…).
    /// The comment's text is never echoed: stored comments are compared through their salted digest.
    static func between(stored row: Row, sent prepared: PreparedResponse, _ db: Database) throws -> [FieldProblem] {
        let r = prepared.response
        let seq: Int64 = row["seq"]
        var differences: [FieldProblem] = []
        func compare(_ field: String, stored: String?, sent: String?) {
            guard stored != sent else { return }
            differences.append(
                FieldProblem(
                    field: field,
                    message:
                        "stored \(stored.map { "'\($0)'" } ?? "nothing"), sent \(sent.map { "'\($0)'" } ?? "nothing")"))
        }
        compare("survey", stored: row["survey"], sent: r.survey)
        compare("surveyVersion", stored: (row["surveyVersion"] as Int).description, sent: String(r.surveyVersion))
        compare("unit", stored: row["unit"], sent: prepared.unitCode)
        let storedDevice = (row["deviceId"] as Int64?).map { "device \($0)" } ?? "a ticket link"
        let sentDevice = prepared.deviceID.map { "device \($0)" } ?? "a ticket link"
        if storedDevice != sentDevice {
            differences.append(
                FieldProblem(
                    field: "device",
                    message:
                        "stored from \(storedDevice), sent from \(sentDevice); if this is the same citizen's response it is "
                        + "already counted, and must not be sent again under a new id (a replaced tablet keeps its device: "
                        + "`sipas device rekey ID`)"))
        }
        compare("procedure", stored: row["procedure"], sent: r.procedure)
        compare("dossier", stored: row["dossier"], sent: r.dossier)
        compare("channel", stored: row["channel"], sent: r.channel.rawValue)
        if !prepared.timeSetByServer {
            compare("submittedAt", stored: row["submittedAt"], sent: Timestamp.format(r.submittedAt))
        }
        let contents = try ResponseContents.load(db, seqs: [seq])
        let answers = Dictionary(uniqueKeysWithValues: contents.answers(of: seq).map { ($0.item, $0.value) })
        let sentAnswers = Dictionary(uniqueKeysWithValues: r.answers.map { ($0.item, $0.value) })
        for item in Set(answers.keys).union(sentAnswers.keys).sorted() {
            compare("answers.\(item)", stored: answers[item].map(String.init), sent: sentAnswers[item].map(String.init))
        }
        let expectations = contents.expectations(of: seq)
        compare(
            "expectations", stored: expectations.isEmpty ? nil : expectations.joined(separator: ", "),
            sent: r.expectations.isEmpty ? nil : r.expectations.joined(separator: ", "))
        compare("respondent", stored: row["respondent"], sent: SQLiteDatabase.respondentJSON(r.respondent))
        let storedDigest: String? = row["commentDigest"], salt: String? = row["commentSalt"]
        let sentDigest = r.comment.map { comment in salt.map { ResponseChain.commentDigest(comment, salt: $0) } ?? "" }
        // An erased comment keeps its digest but not its salt: it can no longer be compared.
        if storedDigest != sentDigest, !(storedDigest != nil && salt == nil) {
            let message =
                switch (storedDigest, sentDigest) {
                case (nil, _): "stored none, sent one"
                case (_, nil): "stored one, sent none"
                default: "differs from the stored one"
                }
            differences.append(FieldProblem(field: "comment", message: message))
        }
        return differences
    }
}
