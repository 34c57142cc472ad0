import Foundation
import SipasDomain

/// Who sent a response: a registered device (by its key), or the web form opened from a one-time ticket.
enum ResponseSource: Sendable {
    case device(DeviceCredential)
    /// A ticket binds the unit (and its subtree is the allowed scope).
    case ticket(Ticket)

    var unit: String {
        switch self {
        case .device(let credential): credential.device.unit
        case .ticket(let ticket): ticket.unit
        }
    }

    /// Part of the content hash: a resend from the same source is a replay, from another a conflict.
    var identity: String {
        switch self {
        case .device(let credential): String(credential.device.id)
        case .ticket(let ticket): "ticket:\(ticket.id)"
        }
    }

    /// The device key, for the commit to confirm.
    var credential: DeviceCredential? {
        if case .device(let credential) = self { credential } else { nil }
    }
}

/// The one way a response gets in, whatever carried it (API, batch, web form): domain validation,
/// resolution of the unit version in force on the submission date, then storage.
///
/// On the way in nothing is read from the database: the device may come from ``DeviceKeys``' cache and the units are
/// the cached snapshot (``UnitCache/cached()``). The group commit confirms both inside its transaction
/// (``CommitPremise``): a key refused meanwhile stores nothing and is answered 401 (``AccessRefused/deviceKeyRefused``);
/// a device whose unit or desk changed, or units imported since, get the request prepared again with what is true
/// now and sent to the next commit, once (a second change in that short while is a retryable 503,
/// ``ResponseWriter/WriteFailure/changedMeanwhile``). An answer given without a commit (every submission invalid, or
/// a unit refused) reads the device and the units first, so it is never given for a stale one.
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
    private let devices: DeviceKeys
    private let metrics: AppMetrics?

    init(
        writer: ResponseWriter, catalog: SurveyCatalog, units: UnitCache, devices: DeviceKeys,
        now: @escaping @Sendable () -> Date, metrics: AppMetrics? = nil
    ) {
        self.writer = writer
        self.metrics = metrics
        self.validator = ResponseValidator(catalog: catalog)
        self.units = units
        self.devices = devices
        self.now = now
    }

    /// Validates and stores the submissions of one request in one commit (shared with concurrent requests);
    /// results in order. Throws ``ResponseWriter/WriteFailure`` when nothing could be stored, and
    /// ``AccessRefused/deviceKeyRefused`` when the device's key was found refused (nothing was stored).
    /// Submissions that could not even be decoded arrive as `.failure` and are reported as invalid.
    func submit(
        _ submissions: [Result<ResponseSubmission, InvalidInput>], from source: ResponseSource,
        timeSetByServer: Bool = false
    ) async throws -> [Outcome] {
        let now = self.now()
        var source = source
        var snapshot = try await units.cached()
        var reread = false
        var prepareAgain = false
        while true {
            let preparation = prepare(
                submissions, source: source, units: snapshot, timeSetByServer: timeSetByServer, receivedAt: now)
            if !reread, preparation.responses.isEmpty || preparation.misplaced {
                // No commit will confirm this answer, or a unit was refused against a device or units that may be
                // out of date: read both, and prepare again with what they are now.
                reread = true
                source = try await read(source)
                snapshot = try await units.current()
                continue
            }
            guard !preparation.responses.isEmpty else { return finish(preparation.results) }
            let premise = CommitPremise(device: source.credential, unitRevision: snapshot.revision)
            switch try await writer.store(preparation.responses, premise: premise) {
            case .stored(let outcomes):
                var results = preparation.results
                for (index, outcome) in zip(preparation.indices, outcomes) { results[index] = .stored(outcome) }
                return finish(results)
            case .notStored(.keyRefused):
                if let credential = source.credential {
                    devices.forget(keyHash: credential.keyHash, deviceID: credential.device.id)
                }
                throw AccessRefused.deviceKeyRefused
            case .notStored(.outdated(let device, let unitsChanged)):
                // Once: a second change in the moment between two commits is answered 503, send again.
                guard !prepareAgain else { throw ResponseWriter.WriteFailure.changedMeanwhile }
                prepareAgain = true
                if let device, let credential = source.credential {
                    // The row the commit read is the device as it is now; the cache keeps it for the next requests.
                    devices.remember(device, keyHash: credential.keyHash)
                    source = .device(DeviceCredential(device: device, keyHash: credential.keyHash, isConfirmed: true))
                }
                if unitsChanged { snapshot = try await units.current() }
            }
        }
    }

    /// The submissions validated and resolved against `source` and `units`: the outcome of each one refused, and
    /// the responses to store with their place among the submissions.
    private struct Preparation {
        var results: [Outcome?]
        var responses: [PreparedResponse] = []
        var indices: [Int] = []
        /// A submission's unit was refused (unknown, not in force, outside the device's unit): an answer that depends
        /// on the units and the device.
        var misplaced = false
    }

    private func prepare(
        _ submissions: [Result<ResponseSubmission, InvalidInput>], source: ResponseSource, units: UnitSnapshot,
        timeSetByServer: Bool, receivedAt now: Date
    ) -> Preparation {
        var preparation = Preparation(results: Array(repeating: nil, count: submissions.count))
        for (index, submission) in submissions.enumerated() {
            switch submission.flatMap({ validator.validate($0, now: now) }) {
            case .failure(let invalid): preparation.results[index] = .invalid(invalid)
            case .success(let valid):
                switch resolve(valid, source: source, units: units, timeSetByServer: timeSetByServer, receivedAt: now) {
                case .failure(let invalid):
                    preparation.results[index] = .invalid(invalid)
                    preparation.misplaced = true
                case .success(let response):
                    preparation.responses.append(response)
                    preparation.indices.append(index)
                }
            }
        }
        return preparation
    }

    /// The source as the database has it now: a device key read again unless this request read it already; 401
    /// when it is refused.
    private func read(_ source: ResponseSource) async throws -> ResponseSource {
        guard let credential = source.credential else { return source }
        guard let fresh = try await devices.confirm(credential) else { throw AccessRefused.deviceKeyRefused }
        return .device(fresh)
    }

    /// Every submission's outcome, counted by the metrics.
    private func finish(_ results: [Outcome?]) -> [Outcome] {
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
        case .device(let credential): (deviceID, desk) = (credential.device.id, credential.device.desk)
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
