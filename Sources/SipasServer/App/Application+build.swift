import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle
import SipasDomain

/// The composition root: opens the database, publishes the surveys, chooses TLS and wires the routes.
/// `sipas serve` and the tests call this same function; a test passes the `database` it already opened on the
/// data directory, so the file is opened once.
public func buildApplication(_ configuration: AppConfiguration, database: SQLiteDatabase? = nil) async throws
    -> some ApplicationProtocol
{
    var logger = Logger(label: "sipas")
    logger.logLevel = configuration.logLevel
    for warning in configuration.warnings { logger.warning("\(warning)") }

    let database = try database ?? Assembly(configuration).openDatabase()
    // TLS comes before the routes: they hand the office authority's certificate to the tablets (`/tls`).
    let office: OfficeTLS?
    let loadMaterial: (@Sendable () throws -> TLSMaterial)?
    switch configuration.tls {
    case .insecureHTTP:
        (office, loadMaterial) = (nil, nil)
    case .officeAuthority:
        let made = try OfficeTLS(
            dataDirectory: configuration.dataDirectory, names: configuration.tlsNames,
            publicURL: configuration.publicURL,
            now: Date(), logger: logger)
        // The certificate's validity is checked by clients against the real clock, not the app's.
        (office, loadMaterial) = (made, { try made.material(now: Date()) })
    case .files(let certificate, let key):
        (office, loadMaterial) = (nil, { try TLSMaterial.load(certificate: certificate, key: key) })
    }
    if office == nil, !configuration.tlsNames.isEmpty {
        logger.warning("tls.names is ignored: the office authority is not used with tls.cert or tls.insecureHTTP")
    }
    let router = try await buildRouter(configuration, database: database, authority: office?.authority, logger: logger)
    // Once every route is in, as Hummingbird adds its HEAD endpoints when the responder is built.
    router.addMethodNotAllowedEndpoints()

    let http1 = HTTP1Channel.Configuration(idleTimeout: .init(configuration.idleTimeout))
    let server: HTTPServerBuilder
    // Daily backup and comment retention run beside the server and stop with it.
    var services: [any Service] = [
        makeMaintenanceService(database: database, configuration: configuration, logger: logger)
    ]
    if let loadMaterial {
        let store = try TLSContextStore(logger: logger, load: loadMaterial)
        server = .reloadableTLS(http1, store: store)
        services.append(
            TLSReloadService(store: store, interval: configuration.certificateCheckInterval, logger: logger))
        if let office { logOfficeAuthority(office, configuration: configuration, logger: logger) }
    } else {
        server = .sipasHTTP1(http1)
        services.append(TLSReloadService(store: nil, interval: configuration.certificateCheckInterval, logger: logger))
    }

    let baseURL = configuration.baseURL
    let startLogger = logger
    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sipas"),
        services: services,
        onServerRunning: { channel in
            startLogger.notice(
                "sipas listening on \(baseURL)",
                metadata: [
                    "address": "\(channel.localAddress.map { "\($0)" } ?? "?")",
                    "database": "\(configuration.databasePath)",
                ])
        },
        logger: logger
    )
}

/// Tells the operator, at start-up, what to check on each tablet: the office authority's fingerprint, where to
/// fetch it, and the names on the server certificate (the host of `publicURL` always among them).
private func logOfficeAuthority(_ office: OfficeTLS, configuration: AppConfiguration, logger: Logger) {
    let names = ServerCertificate.read(from: configuration.dataDirectory)?.names ?? office.wantedNames()
    var address = configuration.publicURL ?? configuration.baseURL
    if configuration.publicURL == nil, ["0.0.0.0", "::"].contains(configuration.host), let name = names.first {
        // Listening on every address: name one the tablets can use.
        let shown = name.description.contains(":") ? "[\(name)]" : name.description
        address = "https://\(shown):\(configuration.port)"
    }
    if address.hasSuffix("/") { address.removeLast() }
    logger.notice(
        "office certificate authority: install it once on each tablet and check its fingerprint",
        metadata: [
            "fingerprint": "SHA-256 \(office.authority.fingerprint)", "download": "\(address)/tls/ca.pem",
            "guide": "\(address)/tls",
            "names": "\(names.map(\.description).joined(separator: ", "))",
        ])
}

/// Everything the routes need, loaded and checked at start-up (a bad file stops the start), then the routes.
/// `authority` is the office authority whose certificate `/tls` hands out, when the server uses one.
func buildRouter(
    _ configuration: AppConfiguration, database: AppDatabase? = nil, authority: OfficeAuthority? = nil, logger: Logger
) async throws -> Router<AppRequestContext> {
    let assembly = Assembly(configuration)
    let database = try database ?? assembly.openDatabase()
    // Checked and stored: a change of thresholds marks every device-day for recomputation of its flags.
    try await database.applyStuffingThresholds(configuration.stuffing)
    let surveyFiles = try SurveyFiles.load(from: configuration.surveysDirectory)
    let catalog = try await database.publishSurveys(surveyFiles, now: configuration.now())
    logger.info(
        "surveys loaded",
        metadata: [
            "surveys":
                "\(catalog.surveyIDs.map { "\($0) v\(catalog.versions(of: $0).map(String.init).joined(separator: ","))" })"
        ])

    if try await database.units().isEmpty {
        logger.warning(
            "no administrative units yet: responses will be refused until units are imported (sipas units import FILE.csv)"
        )
    }

    let reference = try assembly.loadReference()
    try await settleDueDates(
        database: database, calendar: reference.calendar, today: LocalDate(configuration.now()), logger: logger)
    let pages = try await WebPages.load(directory: configuration.webDirectory)
    let openAPI = try OpenAPIController.load(webDirectory: configuration.webDirectory)
    return buildRouter(
        services: assembly.services(database: database, catalog: catalog, reference: reference), catalog: catalog,
        reference: reference, pages: pages, openAPI: openAPI, authority: authority, logger: logger)
}

/// Recounts provisional due dates on the calendar as the files now stand, and warns while the next 12 months are
/// not all covered by notice files (their holidays are computed and provisional until the notice is added).
func settleDueDates(database: AppDatabase, calendar: WorkingCalendar, today: LocalDate, logger: Logger) async throws {
    let refreshed = try await database.refreshProvisionalDueDates(calendar: calendar)
    if refreshed.provisional > 0 {
        logger.info(
            "provisional due dates recounted",
            metadata: ["provisional": "\(refreshed.provisional)", "changed": "\(refreshed.changed)"])
    }
    let horizon = today.adding(days: 365)
    let missing = calendar.yearsWithoutNotice(from: today, to: horizon)
    if !missing.isEmpty {
        let days = calendar.provisionalDays(from: today, to: horizon).map { "\($0.date) \($0.name)" }
        logger.warning(
            "the next 12 months are not covered by holiday notice files: their holidays are computed and provisional",
            metadata: [
                "years": "\(missing.map(String.init).joined(separator: ", "))",
                "provisionalDays": "\(days.joined(separator: "; "))",
                "fix": "add Deploy/calendar/YEAR.json from the year's official notice (see Deploy/calendar/README.md)",
            ])
    }
}

/// The routes and middleware, in one place, over the services ``Assembly`` made.
func buildRouter(
    services: AppServices, catalog: SurveyCatalog, reference: ReferenceData, pages: WebPages,
    openAPI: OpenAPIController, authority: OfficeAuthority?, logger: Logger
) -> Router<AppRequestContext> {
    let (configuration, database) = (services.configuration, services.database)
    // HEAD answers wherever GET does (Hummingbird's own option); `HeadMiddleware` drops the body of every answer
    // to a HEAD.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let metrics = AppMetrics(databasePath: configuration.databasePath)
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware(tls: configuration.tls != .insecureHTTP))
    router.add(middleware: HeadMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(
        middleware: AddressRateLimitMiddleware(limiter: RateLimiter(rate: configuration.addressRate), metrics: metrics))
    router.add(middleware: BodyTimeoutMiddleware(timeout: configuration.bodyTimeout))
    router.add(middleware: ExpectContinueMiddleware())
    router.add(
        middleware: FileMiddleware(
            (configuration.webDirectory as NSString).appendingPathComponent("static"), urlBasePath: "/static"))
    let units = services.units
    let devices = DeviceKeys(database: database)
    let writer = ResponseWriter(
        database: database, capacity: configuration.writeQueueCapacity, logger: logger, metrics: metrics)
    let intake = ResponseIntake(
        writer: writer, catalog: catalog, units: units, devices: devices, now: configuration.now, metrics: metrics)
    // The ingest routes, before the principal lookup every other route gets (Hummingbird wraps a route in the
    // middleware added before it): in a group of their own whose lookup takes a device key from the cache, since
    // their group commit confirms the device in its transaction. Every route added after reads it each request.
    ResponsesController(
        devices: DeviceGate(limiter: RateLimiter(rate: configuration.deviceRate), metrics: metrics, devices: devices),
        intake: intake
    ).addRoutes(
        to: router.group().add(
            middleware: PrincipalMiddleware(
                database: database, devices: devices, deviceLookup: .cachedUntilCommit, now: configuration.now)))
    // After the static files, so a stylesheet costs no credential lookup.
    router.add(
        middleware: PrincipalMiddleware(
            database: database, devices: devices, deviceLookup: .database, now: configuration.now))
    HealthController().addRoutes(to: router)
    openAPI.addRoutes(to: router)
    MetricsController(metrics: metrics, database: database, now: configuration.now).addRoutes(to: router)
    AuditController(database: database, now: configuration.now).addRoutes(to: router)
    IntegrityController(database: database, now: configuration.now).addRoutes(to: router)
    SurveysController(catalog: catalog).addRoutes(to: router)
    let index = services.index
    IndexController(database: database, service: index, now: configuration.now).addRoutes(to: router)
    FlagsController(database: database, units: units, now: configuration.now).addRoutes(to: router)
    ExportController(database: database, index: index, now: configuration.now).addRoutes(to: router)
    let dossiers = DossierIntake(database: database, units: units, calendar: reference.calendar, now: configuration.now)
    DossiersController(database: database, intake: dossiers).addRoutes(to: router)
    let (timeliness, scorecard) = (services.timeliness, services.scorecard)
    TimelinessController(database: database, timeliness: timeliness, scorecard: scorecard, now: configuration.now)
        .addRoutes(to: router)
    SurveyFormController(
        database: database, catalog: catalog, intake: intake, pages: pages, units: units, now: configuration.now
    ).addRoutes(to: router)
    TicketsController(
        database: database, units: units, publicURL: configuration.publicURL ?? configuration.baseURL,
        lifetime: configuration.ticketLifetime,
        now: configuration.now
    ).addRoutes(to: router)
    let figures = services.figures(pages: pages)
    DashboardController(
        database: database, pages: pages, index: index, scorecard: scorecard, figures: figures,
        document: services.document(figures: figures), now: configuration.now
    ).addRoutes(to: router)
    DevicesAdminController(
        database: database, pages: pages, units: units, publicURL: configuration.publicURL,
        baseURL: configuration.baseURL,
        now: configuration.now
    ).addRoutes(to: router)
    EnrollmentController(database: database, pages: pages, units: units, now: configuration.now).addRoutes(to: router)
    EnrollController(database: database, now: configuration.now).addRoutes(to: router)
    AuthorityController(authority: authority, pages: pages).addRoutes(to: router)
    router.get("/") { _, _ in WebPages.redirect("/dashboard") }
    return router
}
