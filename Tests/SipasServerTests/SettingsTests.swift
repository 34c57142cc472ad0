import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Settings from a file and the environment")
struct SettingsTests {
    /// The settings file holding `json`, named by its content: each run writes the same few files again instead of
    /// leaving a new one per test case in the temporary directory.
    func file(_ json: String) throws -> String {
        let name = "sipas-settings-\(SHA256Hex.of(json).prefix(16)).json"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the shipped example file is valid and holds every setting at its default")
    func example() throws {
        let path = TestEnvironment.repository.appendingPathComponent("Deploy/sipas.json.example").path
        let keys = try Settings.flatten(file: path).keys
        #expect(Set(keys) == Set(Settings.known.keys))
        var configuration = AppConfiguration()
        try Settings.apply(file: path, environment: [:], to: &configuration)
        #expect(configuration.port == 8443)
        #expect(configuration.stuffing == AppConfiguration().stuffing)
        #expect(configuration.backupKeep == AppConfiguration().backupKeep)
        #expect(configuration.report == AppConfiguration().report)
    }

    @Test("the report's recipients: a list in the file, `;`-separated in a variable; anything else is refused")
    func recipients() throws {
        var configuration = AppConfiguration()
        try Settings.apply(
            file: try file(#"{"report": {"recipients": ["Sở Nội vụ", "UBND tỉnh"]}}"#), environment: [:],
            to: &configuration)
        #expect(configuration.report.recipients == ["Sở Nội vụ", "UBND tỉnh"])
        try Settings.apply(
            file: nil, environment: ["SIPAS_REPORT_RECIPIENTS": "Sở Nội vụ; UBND tỉnh, huyện"], to: &configuration)
        #expect(configuration.report.recipients == ["Sở Nội vụ", "UBND tỉnh, huyện"])
        #expect(throws: OperatorError.self) {
            try Settings.apply(
                file: try file(#"{"report": {"recipients": [1]}}"#), environment: [:], to: &configuration)
        }
    }

    @Test("nested file settings apply; the environment wins over the file")
    func precedence() throws {
        let path = try file(
            #"{"port": 9443, "dataDir": "/var/lib/sipas", "limits": {"deviceRate": 2.5}, "backup": {"keep": 7}, "tls": {"insecureHTTP": true}}"#
        )
        var configuration = AppConfiguration()
        try Settings.apply(
            file: path, environment: ["SIPAS_PORT": "10443", "SIPAS_STUFFING_OFFICE_DAYS": "1,2,3", "PATH": "/bin"],
            to: &configuration)
        #expect(configuration.port == 10443)
        #expect(configuration.dataDirectory == "/var/lib/sipas")
        #expect(configuration.deviceRate == 2.5)
        #expect(configuration.backupKeep == 7)
        #expect(configuration.tls == .insecureHTTP)
        #expect(configuration.stuffing.officeDays == [1, 2, 3])
    }

    @Test(
        "a wrong setting is refused with a message naming it",
        arguments: [
            (#"{"port": "https"}"#, [String: String](), "port: must be a whole number from 1 to 65535"),
            (#"{"port": 70000}"#, [:], "port: must be a whole number from 1 to 65535"),
            (
                #"{"limits": {"deviceRte": 5}}"#, [:],
                "unknown setting 'limits.deviceRte' (did you mean limits.deviceRate?)"
            ),
            (#"{"tls": {"insecureHTTP": 1}}"#, [:], "tls.insecureHTTP: must be true or false"),
            (#"{"tls": {"cert": "/etc/ssl/a.pem"}}"#, [:], "tls.cert and tls.key go together"),
            (#"{"tls": {"names": ["office.lan", "bad_name"]}}"#, [:], "tls.names: 'bad_name' is neither a DNS name"),
            (
                "{}", ["SIPAS_TLS_NAMES": "office.lan,192.168.1.300"],
                "SIPAS_TLS_NAMES: '192.168.1.300' is neither a DNS name"
            ),
            (
                #"{"stuffing": {"officeHours": "17:30-07:00"}}"#, [:],
                "stuffing.officeHours: '17:30-07:00' is not HH:MM-HH:MM"
            ),
            (
                #"{"stuffing": {"officeHours": "07:00-24:01"}}"#, [:],
                "stuffing.officeHours: '07:00-24:01' is not HH:MM-HH:MM"
            ),
            // Accepted by the settings' own check before, refused only later by the rules, without naming the file.
            (
                #"{"stuffing": {"identicalRun": 1}}"#, [:],
                ".json: stuffing.identicalRun: must be 0 (off) or a whole number from 2"
            ),
            (
                "{}", ["SIPAS_STUFFING_BURST_WINDOW_SECONDS": "90000"],
                "SIPAS_STUFFING_BURST_WINDOW_SECONDS: must be a whole number of seconds from 0"
            ),
            ("{}", ["SIPAS_STUFFING_OFFICE_DAYS": "1,8"], "SIPAS_STUFFING_OFFICE_DAYS: 8 is not an ISO weekday"),
            (
                "{}", ["SIPAS_STUFFING_OFFICE_DAYS": "weekdays"],
                "SIPAS_STUFFING_OFFICE_DAYS: must be a list of whole numbers"
            ),
            (#"{"logLevel": "loud"}"#, [:], "logLevel: must be one of"),
            ("[1, 2]", [:], "not a JSON object"),
            ("{}", ["SIPAS_LIMITS_DEVICE_RATE": "-1"], "SIPAS_LIMITS_DEVICE_RATE: must be a number from 0"),
            (#"{"tls": {"names": "office.lan"}}"#, [:], "tls.names: must be a list of texts (a JSON array)"),
            ("{}", ["SIPAS_TLS_NAMES": " , "], "SIPAS_TLS_NAMES: is empty; leave it unset"),
            ("{}", ["SIPAS_PUBLIC_URL": "notaurl"], "SIPAS_PUBLIC_URL: must be an https:// address with a host"),
            ("{}", ["SIPAS_PUBLIC_URL": "http://office.lan"], "SIPAS_PUBLIC_URL: must be an https:// address"),
            (
                "{}", ["SIPAS_PUBLIC_URL": "https://văn.lan"],
                "SIPAS_PUBLIC_URL: write the host văn.lan in its xn-- form"
            ),
        ])
    func refused(_ json: String, _ environment: [String: String], _ message: String) throws {
        let path = try file(json)
        var configuration = AppConfiguration()
        let error = #expect(throws: OperatorError.self) {
            try Settings.apply(file: path, environment: environment, to: &configuration)
        }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test("the office certificate's names: a list in the file, `,`-separated in a variable or repeated --tls-name")
    func tlsNames() throws {
        var configuration = AppConfiguration()
        try Settings.apply(
            file: try file(#"{"tls": {"names": ["office.lan", "192.168.1.10"]}}"#), environment: [:], to: &configuration
        )
        #expect(configuration.tlsNames == ["office.lan", "192.168.1.10"])
        try Settings.apply(
            file: nil, environment: ["SIPAS_TLS_NAMES": "sipas.lapvo.local, fd00::10"], to: &configuration)
        #expect(configuration.tlsNames == ["sipas.lapvo.local", "fd00::10"])
        let option = Settings.Option(key: "tls.names", flag: "--tls-name", value: "office.lan,bad name")
        let error = #expect(throws: OperatorError.self) {
            try Settings.apply(file: nil, environment: [:], options: [option], to: &configuration)
        }
        #expect(
            error?.description.hasPrefix("--tls-name: 'bad name' is neither") == true, "\(error?.description ?? "")")
        let empty = Settings.Option(key: "tls.names", flag: "--tls-name", value: "")
        let emptyError = #expect(throws: OperatorError.self) {
            try Settings.apply(file: nil, environment: [:], options: [empty], to: &configuration)
        }
        #expect(emptyError?.description == "--tls-name: is empty; leave it unset for the default")
    }

    @Test("environment names follow the setting path")
    func environmentNames() {
        #expect(Settings.environmentName("limits.deviceRate") == "SIPAS_LIMITS_DEVICE_RATE")
        #expect(Settings.environmentName("dataDir") == "SIPAS_DATA_DIR")
        #expect(Settings.environmentName("publicURL") == "SIPAS_PUBLIC_URL")
        #expect(Settings.environmentName("tls.insecureHTTP") == "SIPAS_TLS_INSECURE_HTTP")
    }

    // MARK: - One check per setting

    @Test(
        "office hours 00:00-24:00, accepted by the stuffing rules, are accepted from the file and the environment",
        arguments: [
            (#"{"stuffing": {"officeHours": "00:00-24:00"}}"#, [String: String]()),
            ("{}", ["SIPAS_STUFFING_OFFICE_HOURS": "00:00-24:00"]),
        ])
    func wholeDayAccepted(_ json: String, _ environment: [String: String]) throws {
        var configuration = AppConfiguration()
        try Settings.apply(file: try file(json), environment: environment, to: &configuration)
        #expect(configuration.stuffing.officeHours == "00:00-24:00")
        #expect(try StuffingRules(configuration.stuffing).thresholds == configuration.stuffing)
    }

    @Test(
        "office hours from the settings flag the responses the rules say: 00:00-24:00 is the whole day",
        arguments: [("00:00-24:00", 0), ("07:00-17:30", 3)])
    func wholeDayThroughTheApp(_ hours: String, _ flagged: Int) async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        try Settings.apply(file: nil, environment: ["SIPAS_STUFFING_OFFICE_HOURS": hours], to: &env.configuration)
        let device = try env.deviceKey(unit: "875")
        let admin = try env.token(.admin, unit: nil)
        try await env.withApp { (client: any TestClientProtocol) async throws in
            // Thursday 28/11/2024, an office day: midnight, the last second of the day, 06:59 and noon.
            let times = ["00:00:00", "23:59:59", "06:59:00", "12:00:00"]
            try await FlagsAPITests.post(
                times.map {
                    FlagsAPITests.response($0, day: "2024-11-28", answers: #"{"a1":4,"s1":\#(Int.random(in: 1...5))}"#)
                }, key: device,
                client: client)
            let json = try await client.get("/v1/flags?unit=875&from=2024-11-28&to=2024-11-28", token: admin).object()
            #expect((json["byReason"] as? [String: Int])?["outsideOfficeHours"] == flagged, "\(json)")
            #expect((json["thresholds"] as? [String: Any])?["officeHours"] as? String == hours)
        }
    }

    @Test("a command-line option goes through the same check as the file, named as typed")
    func options() throws {
        var configuration = AppConfiguration()
        try Settings.apply(
            file: nil, environment: ["SIPAS_PORT": "9443"],
            options: [.init(key: "port", flag: "--port", value: "10443")], to: &configuration)
        #expect(configuration.port == 10443)
        for (key, flag, value, message) in [
            ("port", "--port", "70000", "--port: must be a whole number from 1 to 65535"),
            ("limits.writeQueue", "--write-queue", "0", "--write-queue: must be a whole number from 1 to 10000000"),
            ("limits.deviceRate", "--device-rate", "-1", "--device-rate: must be a number from 0 to 1,000,000"),
            ("ticketDays", "--ticket-days", "400", "--ticket-days: must be a whole number from 1 to 366"),
        ] {
            var refused = AppConfiguration()
            let error = #expect(throws: OperatorError.self) {
                try Settings.apply(
                    file: nil, environment: [:], options: [.init(key: key, flag: flag, value: value)], to: &refused)
            }
            #expect(error?.description == message, "\(error?.description ?? "")")
        }
    }

    // MARK: - Variables that are not settings

    @Test(
        "a SIPAS_ variable that is no setting is a warning naming the nearest setting, and the server starts",
        arguments: [
            ("SIPAS_PROT", "SIPAS_PROT: not a sipas setting, ignored; did you mean SIPAS_PORT?"),
            ("SIPAS_DATABSE", "SIPAS_DATABSE: not a sipas setting, ignored; did you mean SIPAS_DATA_DIR?"),
            (
                "SIPAS_LIMITS_DEVICE_RATES",
                "SIPAS_LIMITS_DEVICE_RATES: not a sipas setting, ignored; did you mean SIPAS_LIMITS_DEVICE_RATE?"
            ),
            ("SIPAS_CONFG", "SIPAS_CONFG: not a sipas setting, ignored; did you mean SIPAS_CONFIG?"),
            ("SIPAS_XYZ", "SIPAS_XYZ: not a sipas setting, ignored"),
        ])
    func unknownVariable(_ name: String, _ warning: String) async throws {
        var env = try TestEnvironment()
        defer { env.remove() }
        try Settings.apply(file: nil, environment: [name: "1", "SIPAS_PORT": "9443"], to: &env.configuration)
        #expect(env.configuration.warnings == [warning])
        #expect(env.configuration.port == 9443)
        env.configuration.port = 0
        try await env.withApp { (client: any TestClientProtocol) async throws in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
