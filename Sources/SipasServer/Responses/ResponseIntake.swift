import Foundation
import SipasDomain

/// Who sent a response: a registered device, or the web form opened from a one-time ticket.
enum ResponseSource: Sendable {
    case device(Device)
    /// A ticket binds the unit (and its subtree is the allowed scope).
    case ticket(Ticket)

    var unit: String {
        switch self {
        case .device(let device): device.unit
        case .ticket(let ticket): ticket.unit
        }
    }

    /// Part of the content hash: a resend from the same source is a replay, from another a conflict.
    var identity: String {
        switch self {
        case .device(let device): String(device.id)
        case .ticket(let ticket): "ticket:\(ticket.id)"
        }
    }
}

/// The one way a response gets in, whatever carried it (API, batch, web form): domain validation,
/// resolution of the unit version in force on the submission date, then storage.
final class ResponseIntake: Sendable {
    /// What happened to one submission.
    enum Outcome: Sendable {
        case stored(StoreOutcome)
        case invalid(InvalidInput)

        /// As the metrics count it.
        var label: String {
            switch self {
            case .invalid: "invalid"
            case .stored(.created): "created"
            case .stored(.replayed): "replayed"
            case .stored(.conflict): "conflict"
            case .stored(.ticketUsed): "ticket_used"
            case .stored(.refused): "refused"
            case .stored(.failed): "failed"
            }
        }
    }

    private let writer: ResponseWriter
    private let validator: ResponseValidator
    private let now: @Sendable () -> Date
    private let units: UnitCache
    private let metrics: AppMetrics?

    init(
        writer: ResponseWriter, catalog: SurveyCatalog, units: UnitCache, now: @escaping @Sendable () -> Date,
        metrics: AppMetrics? = nil
    ) {
        self.writer = writer
        self.metrics = metrics
        self.validator = ResponseValidator(catalog: catalog)
        self.units = units
        self.now = now
    }

    /// Validates and stores the submissions of one request in one commit (shared with concurrent requests);
    /// results in order. Throws ``ResponseWriter/WriteFailure`` when nothing could be stored.
    /// Submissions that could not even be decoded arrive as `.failure` and are reported as invalid.
    func submit(
        _ submissions: [Result<ResponseSubmission, InvalidInput>], from source: ResponseSource,
        timeSetByServer: Bool = false
    ) async throws -> [Outcome] {
        let now = self.now()
        let snapshot = try await units.current()
        var results: [Outcome?] = Array(repeating: nil, count: submissions.count)
        var prepared: [PreparedResponse] = []
        var preparedIndex: [Int] = []

        for (index, submission) in submissions.enumerated() {
            switch submission.flatMap({ validator.validate($0, now: now) }).flatMap({
                resolve($0, source: source, units: snapshot, timeSetByServer: timeSetByServer, receivedAt: now)
            }) {
            case .failure(let invalid): results[index] = .invalid(invalid)
            case .success(let response):
                prepared.append(response)
                preparedIndex.append(index)
            }
        }
        if !prepared.isEmpty {
            let outcomes = try await writer.store(prepared)
            for (index, outcome) in zip(preparedIndex, outcomes) { results[index] = .stored(outcome) }
        }
        let final = results.map { $0! }
        for result in final { metrics?.response(result.label) }
        return final
    }

    // MARK: - Unit of a response

    /// The unit version in force on the submission's local date, which must be the device's unit or under it.
    private func resolve(
        _ response: ValidResponse, source: ResponseSource, units: UnitSnapshot, timeSetByServer: Bool, receivedAt: Date
    ) -> Result<PreparedResponse, InvalidInput> {
        let placed = UnitPlacement(units: units).place(
            response.unit ?? source.unit, on: response.submittedDate, dateMeaning: "the local date of submittedAt",
            within: .subtree(of: source.unit, whose: "this device's unit"))
        guard case .success(let (unit, rowID)) = placed else {
            return .failure(InvalidInput([placed.problem!]))
        }
        let content = response.canonicalContent(
            unit: unit.code, device: source.identity, includingTime: !timeSetByServer)
        var deviceID: Int64?, desk: String?, ticketID: String?
        switch source {
        case .device(let device): (deviceID, desk) = (device.id, device.desk)
        case .ticket(let ticket): ticketID = ticket.id
        }
        // The validator found this version, so the catalog has it.
        let definition = validator.catalog.definition(response.survey, version: response.surveyVersion)!
        return .success(
            PreparedResponse(
                response: response, unitID: rowID, unitCode: unit.code, deviceID: deviceID, desk: desk,
                contentHash: SHA256Hex.of(content),
                tallies: ResponseContribution.tallies(
                    answers: response.answers, expectations: response.expectations, definition: definition),
                receivedAt: receivedAt, ticketID: ticketID, timeSetByServer: timeSetByServer))
    }
}
