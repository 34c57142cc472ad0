import Foundation
import Hummingbird
import SipasDomain

/// `POST /v1/tickets` makes a one-time survey link for a dossier; `GET /v1/tickets/{ticket}/qr.svg` draws it
/// as a QR code to print on the dossier receipt.
struct TicketsController {
    let database: AppDatabase
    let units: UnitCache
    let publicURL: String
    let lifetime: TimeInterval
    let now: @Sendable () -> Date

    struct Body: Decodable {
        let dossier: String?
        let procedure: String?
        let unit: String?
    }

    /// The answer (201): the ticket, the link to print, the QR code's path and when the ticket expires.
    struct Reply: ResponseCodable {
        let ticket: String
        let url: String
        let qr: String
        let expiresAt: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/tickets") { request, context in
            let root = try context.requireTicketIssuer()
            let body = try await RequestBody.decodeJSON(Body.self, from: request, limit: 16 * 1024)
            var problems: [FieldProblem] = []
            // The same text rule as the response the ticket will carry, so a ticket never holds what its
            // citizen's response would be refused for.
            func field<T>(_ result: Result<T, FieldProblem>) -> T? {
                switch result {
                case .success(let value): return value
                case .failure(let problem):
                    problems.append(problem)
                    return nil
                }
            }
            let dossier = field(InputText.required(body.dossier, field: "dossier")) ?? ""
            let procedure = field(InputText.optional(body.procedure, field: "procedure")) ?? nil
            let unit = field(InputText.optional(body.unit, field: "unit")).flatMap { $0 } ?? root
            let snapshot = try await units.current()
            let today = LocalDate(now())
            if !problems.contains(where: { $0.field == "unit" }),
                let problem = UnitPlacement(units: snapshot).place(
                    unit, on: today, dateMeaning: "today", within: .subtree(of: root, whose: "the issuer's unit")
                ).problem
            {
                problems.append(problem)
            }
            guard problems.isEmpty else { throw InvalidInput(problems) }
            let ticket = try await database.createTicket(
                unit: unit, procedure: procedure, dossier: dossier, now: now(), lifetime: lifetime)
            return EditedResponse(
                status: .created,
                response: Reply(
                    ticket: ticket.id, url: url(ticket.id), qr: "/v1/tickets/\(ticket.id)/qr.svg",
                    expiresAt: ticket.expiresAt))
        }

        router.get("/v1/tickets/:ticket/qr.svg") { _, context in
            let id = try context.pathParameter("ticket")
            guard try await database.ticket(id) != nil, let svg = QRCode.svg(url(id)) else {
                throw Problem(status: .notFound, detail: "no ticket \(id)")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "private, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(string: svg)))
        }
    }

    /// The link printed on the receipt.
    func url(_ ticket: String) -> String { "\(publicURL)/s/sipas?t=\(ticket)" }
}
