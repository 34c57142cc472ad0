import Foundation
import Hummingbird
import SipasDomain

/// `GET /v1/integrity`: how many responses are stored and the head of their hash chain, which an office
/// writes into its monthly report; `sipas verify --head` later shows nothing before it was changed.
struct IntegrityController {
    /// The answer: `{"count": N, "head": "<hex>", "asOf": "…"}`.
    struct Head: ResponseCodable {
        let count: Int
        let head: String
        /// When it was read, Vietnam time.
        let asOf: String
    }

    let database: AppDatabase
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/integrity") { request, context in
            // The same readers as the figures: an admin or an official of any unit (it names no response).
            _ = try context.requireFigureReader()
            let chain = try await database.chainHead()
            return Head(count: chain.count, head: chain.head, asOf: Timestamp.formatLocal(now()))
        }
    }
}
