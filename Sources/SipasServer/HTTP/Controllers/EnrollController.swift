import Foundation
import Hummingbird
import SipasDomain

/// `POST /v1/enroll`: a kiosk app sends the enrollment code an admin gave it and receives its device key, once.
/// The code is the credential: no Authorization header is needed, and the per-address rate limit bounds guessing
/// (see ``EnrollmentCode``).
struct EnrollController {
    let database: AppDatabase
    let now: @Sendable () -> Date

    struct Body: Decodable {
        let code: String?
    }

    /// The device the code enrolled and its key; `desk` and `label` are `null` when the device has none.
    struct Reply: ResponseCodable {
        let device: Int64
        let unit: String
        @ExplicitNull var desk: String?
        @ExplicitNull var label: String?
        let key: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/enroll") { request, _ in
            let body = try await RequestBody.decodeJSON(Body.self, from: request, limit: 4 * 1024)
            guard let text = body.code else {
                throw Problem.invalid(InvalidInput([FieldProblem(field: "code", message: "is required")]))
            }
            guard let code = EnrollmentCode(typed: text) else {
                let message =
                    "is not an enrollment code: 8 characters of 0-9 and A-Z (no I, L, O or U), written XXXX-XXXX"
                throw Problem.invalid(InvalidInput([FieldProblem(field: "code", message: message)]))
            }
            let enrolled: (device: Device, key: String)
            do {
                enrolled = try await database.redeemEnrollmentCode(code, via: "POST /v1/enroll", now: now())
            } catch let refusal as EnrollmentRefusal {
                throw Problem(status: refusal.status, detail: refusal.detail)
            }
            let device = enrolled.device
            // The key travels once, in this answer: nothing on the way may keep a copy.
            return EditedResponse(
                status: .created, headers: [.cacheControl: "no-store"],
                response: Reply(
                    device: device.id, unit: device.unit, desk: device.desk, label: device.label, key: enrolled.key))
        }
    }
}
