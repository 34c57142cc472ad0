import HTTPTypes
import Hummingbird
import SipasDomain

/// Responses from desk tablets and kiosks: one at a time, or a batch when a kiosk catches up.
struct ResponsesController {
    /// Largest single-response body.
    static let singleLimit = 64 * 1024
    /// Largest batch body.
    static let batchLimit = 4 * 1024 * 1024
    /// Most responses in one batch.
    static let batchMaximum = 500

    let devices: DeviceGate
    let intake: ResponseIntake

    // MARK: - Wire types

    /// The answer to a stored response (201), the same bytes again for a resend of it.
    struct Receipt: ResponseCodable, Equatable {
        let id: String
        /// When the server stored it, UTC.
        let receivedAt: String

        init(_ receipt: ResponseReceipt) {
            id = receipt.id
            receivedAt = receipt.receivedAt
        }
    }

    struct BatchBody: Decodable {
        let responses: [BatchElement<ResponseSubmission>]
    }

    /// What became of one element of a batch.
    struct BatchResult: Codable {
        let index: Int
        let id: String?
        let status: String
        let receivedAt: String?
        let detail: String?
        let errors: [FieldError]?
    }

    /// The answer to a batch: a result per element, in order, and the counts.
    struct BatchReply: ResponseCodable {
        let results: [BatchResult]
        let created: Int
        let replayed: Int
        let conflict: Int
        let invalid: Int
        /// Responses that could not be stored for a fault of the server (logged); send them again later.
        let failed: Int
    }

    // MARK: - Routes

    /// Adds the routes to `router`, which must look device keys up with
    /// ``PrincipalMiddleware/DeviceLookup/cachedUntilCommit`` (``buildRouter``): their commit confirms the device.
    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/v1/responses") { request, context in
            let (device, submission) = try await devices.admit(context) {
                try await RequestBody.decodeJSON(ResponseSubmission.self, from: request, limit: Self.singleLimit)
            }
            let result = try await intake.submit([.success(submission)], from: .device(device))[0]
            switch result {
            case .invalid(let invalid):
                throw Problem.invalid(invalid)
            case .stored(.created(let receipt)):
                return EditedResponse(status: .created, response: Receipt(receipt))
            case .stored(.replayed(let receipt)):
                return EditedResponse(
                    status: .created, headers: [.idempotentReplayed: "true"], response: Receipt(receipt))
            case .stored(.conflict(let id, let differences)):
                throw Problem(status: .conflict, detail: Self.conflictDetail(id, differences), errors: differences)
            case .stored(.ticketUsed(let id)):
                throw Problem(
                    status: .conflict, detail: "the ticket of response \(id) was already used by another response")
            case .stored(.refused(_, let problem)):
                throw Problem(status: .unprocessableContent, detail: problem.description, errors: [problem])
            case .stored(.failed(let id)):
                throw Problem(
                    status: .internalServerError,
                    detail: "response \(id) could not be stored; the fault has been logged")
            }
        }

        router.post("/v1/responses/batch") { request, context in
            let (device, body) = try await devices.admit(context) {
                let body = try await RequestBody.decodeJSON(BatchBody.self, from: request, limit: Self.batchLimit)
                guard !body.responses.isEmpty else {
                    throw Problem(
                        status: .unprocessableContent, detail: "responses: the batch is empty",
                        errors: [FieldProblem(field: "responses", message: "the batch is empty")])
                }
                guard body.responses.count <= Self.batchMaximum else {
                    let message = "at most \(Self.batchMaximum) responses per batch, got \(body.responses.count)"
                    throw Problem(
                        status: .unprocessableContent, detail: "responses: \(message)",
                        errors: [FieldProblem(field: "responses", message: message)])
                }
                return body
            }
            let results = try await intake.submit(body.responses.map(\.result), from: .device(device))
            return Self.reply(results, items: body.responses)
        }
    }

    /// The 409's explanation: which fields differ, and why a new id is not the answer to a resend.
    static func conflictDetail(_ id: String, _ differences: [FieldProblem]) -> String {
        let fields = differences.isEmpty ? "" : " (differs in: \(differences.map(\.field).joined(separator: ", ")))"
        return
            "a different response with id \(id) is already stored\(fields); nothing was changed. If this is the same "
            + "citizen's response sent again, it is already counted: do not send it under a new id"
    }

    private static func reply(_ results: [ResponseIntake.Outcome], items: [BatchElement<ResponseSubmission>])
        -> BatchReply
    {
        var counts = (created: 0, replayed: 0, conflict: 0, invalid: 0, failed: 0)
        let entries = results.enumerated().map { index, result -> BatchResult in
            let givenID = try? items[index].result.get().id
            func errors(_ problems: [FieldProblem]) -> [FieldError] { problems.map(FieldError.init) }
            switch result {
            case .stored(.created(let receipt)):
                counts.created += 1
                return BatchResult(
                    index: index, id: receipt.id, status: "created", receivedAt: receipt.receivedAt, detail: nil,
                    errors: nil)
            case .stored(.replayed(let receipt)):
                counts.replayed += 1
                return BatchResult(
                    index: index, id: receipt.id, status: "replayed", receivedAt: receipt.receivedAt, detail: nil,
                    errors: nil)
            case .stored(.conflict(let id, let differences)):
                counts.conflict += 1
                return BatchResult(
                    index: index, id: id, status: "conflict", receivedAt: nil, detail: conflictDetail(id, differences),
                    errors: errors(differences))
            case .stored(.ticketUsed(let id)):
                counts.conflict += 1
                return BatchResult(
                    index: index, id: id, status: "conflict", receivedAt: nil, detail: "the ticket was already used",
                    errors: nil)
            case .stored(.refused(let id, let problem)):
                counts.invalid += 1
                return BatchResult(
                    index: index, id: id, status: "invalid", receivedAt: nil, detail: problem.description,
                    errors: errors([problem]))
            case .stored(.failed(let id)):
                counts.failed += 1
                return BatchResult(
                    index: index, id: id, status: "failed", receivedAt: nil,
                    detail: "could not be stored for a fault of the server (logged); send it again later", errors: nil)
            case .invalid(let invalid):
                counts.invalid += 1
                return BatchResult(
                    index: index, id: givenID ?? nil, status: "invalid", receivedAt: nil, detail: invalid.description,
                    errors: errors(invalid.problems))
            }
        }
        return BatchReply(
            results: entries, created: counts.created, replayed: counts.replayed, conflict: counts.conflict,
            invalid: counts.invalid,
            failed: counts.failed)
    }
}

extension HTTPField.Name {
    /// Set on a resend answered from the stored acknowledgement.
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
