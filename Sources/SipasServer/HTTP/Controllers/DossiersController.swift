import Hummingbird
import SipasDomain

/// `POST /v1/dossiers`: the province's TTHC system pushes dossiers, up to 1,000 upserts keyed by code.
struct DossiersController {
    static let batchMaximum = 1_000
    static let bodyLimit = 4 * 1024 * 1024

    let database: AppDatabase
    let intake: DossierIntake

    struct Body: Decodable {
        let dossiers: [BatchElement<DossierSubmission>]
    }

    /// What became of one dossier of the batch.
    struct ResultBody: Codable {
        let index: Int
        let code: String?
        let status: String
        let detail: String?
        let errors: [FieldError]?
        /// The due date stored (given by the source, or counted by sipas), and where it comes from.
        var dueDate: String? = nil
        var dueDateBasis: String? = nil
    }

    /// The answer: a result per dossier, in order, and the counts.
    struct Reply: ResponseCodable {
        let results: [ResultBody]
        let created: Int
        let updated: Int
        let unchanged: Int
        let invalid: Int
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/dossiers") { request, context in
            let root = try context.requireDossierSource()
            let body = try await RequestBody.decodeJSON(Body.self, from: request, limit: Self.bodyLimit)
            guard (1...Self.batchMaximum).contains(body.dossiers.count) else {
                let message = "between 1 and \(Self.batchMaximum) dossiers per request, got \(body.dossiers.count)"
                throw Problem(
                    status: .unprocessableContent, detail: "dossiers: \(message)",
                    errors: [FieldProblem(field: "dossiers", message: message)])
            }
            let outcomes = try await intake.submit(body.dossiers.map(\.result), within: root, allOrNothing: false)
            var counts = [String: Int]()
            let results = outcomes.enumerated().map { index, outcome -> ResultBody in
                let code = try? body.dossiers[index].result.get().code
                let status: String
                var detail: String?
                var errors: [FieldError]?
                var stored: Dossier?
                switch outcome {
                case .stored(.created(let dossier)): status = "created"; stored = dossier
                case .stored(.updated(let dossier)): status = "updated"; stored = dossier
                case .stored(.unchanged(let dossier)): status = "unchanged"; stored = dossier
                case .invalid(let invalid):
                    status = "invalid"
                    detail = invalid.description
                    errors = invalid.problems.map(FieldError.init)
                }
                counts[status, default: 0] += 1
                return ResultBody(
                    index: index, code: code ?? nil, status: status, detail: detail, errors: errors,
                    dueDate: stored?.dueDate.description,
                    dueDateBasis: stored?.dueDateBasis.rawValue)
            }
            return Reply(
                results: results, created: counts["created"] ?? 0, updated: counts["updated"] ?? 0,
                unchanged: counts["unchanged"] ?? 0, invalid: counts["invalid"] ?? 0)
        }
    }
}
