import Hummingbird

/// `GET /healthz`: the process is up and serving. Kept free of I/O, so monitors and the benchmark
/// measure the server itself.
struct HealthController {
    /// The answer: `{"status": "ok"}`.
    struct Reply: ResponseCodable, Equatable {
        var status = "ok"
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in Reply() }
    }
}
