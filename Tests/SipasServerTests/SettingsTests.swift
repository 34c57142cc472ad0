import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("Settings from the options, the environment and the file")
struct SettingsTests {
    /// The settings file holding `json`, named by its content: each run writes the same few files again instead of
    /// leaving a new one per test case in the temporary directory.
    static func file(_ json: String) throws -> String {
        let name = "sipas-settings-\(SHA256Hex.of(json).prefix(16)).json"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The configuration from `options`, then `environment`, then the file holding `json` (none when nil).
    static func read(
        options: (inout SettingFlags) -> Void = { _ in }, environment: [String: String] = [:], json: String? = nil
    ) throws -> AppConfiguration {
        var flags = SettingFlags()
        options(&flags)
        let reader = try SettingsReader(flags: flags, environment: environment, file: try json.map(file))
        return try AppConfiguration(settings: reader)
    }

    /// The message of the refusal of the settings `read` reads.
    static func refusal(_ read: () throws -> AppConfiguration) -> String {
        let error = #expect(throws: OperatorError.self) { _ = try read() }
        return error?.description ?? ""
    }

    /// The dotted keys of a JSON object's leaves.
    static func keys(_ object: [String: Any], prefix: String = "") -> [String] {
        object.flatMap { name, value in
            let key = prefix.isEmpty ? name : "\(prefix).\(name)"
            return (value as? [String: Any]).map { keys($0, prefix: key) } ?? [key]
        }
    }

    // MARK: - The declarations

    @Test("the shipped example file holds every setting of the file at its default")
    func example() throws {
        let path = TestEnvironment.repository.appendingPathComponent("Deploy/sipas.json.example").path
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let keys = Self.keys(try #require(object as? [String: Any]))
        #expect(Set(keys) == Set(Settings.all.filter(\.inFile).map(\.key)))
        var configuration = AppConfiguration()
        try Settings.apply(file: path, environment: [:], to: &configuration)
        #expect(configuration.port == Settings.port.defaultValue)
        #expect(configuration.stuffing == AppConfiguration().stuffing)
        #expect(configuration.backupKeep == AppConfiguration().backupKeep)
        #expect(configuration.report == AppConfiguration().report)
    }

    @Test("each setting has one key, one variable and at most one option")
    func unique() {
        let keys = Settings.all.map(\.key), names = Settings.all.map(\.environmentName)
        let flags = Settings.all.compactMap(\.flag)
        #expect(Set(keys).count == keys.count && Set(names).count == names.count && Set(flags).count == flags.count)
    }

    @Test("each setting's SIPAS_ variable is the one swift-configuration's environment provider reads for its key")
    func environmentNames() {
        #expect(Settings.environmentName("limits.deviceRate") == "SIPAS_LIMITS_DEVICE_RATE")
        #expect(Settings.environmentName("publicURL") == "SIPAS_PUBLIC_URL")
        #expect(Settings.environmentName("tls.insecureHTTP") == "SIPAS_TLS_INSECURE_HTTP")
        for setting in Settings.all {
            let provider = EnvironmentVariablesProvider(environmentVariables: [setting.environmentName: "given"])
            let reader = ConfigReader(provider: provider.prefixKeys(with: "sipas"))
            #expect(reader.string(forKey: ConfigKey(setting.key)) == "given", "\(setting.key)")
        }
    }

    // MARK: - Each source, and the order

    @Test("a setting comes from an option, a SIPAS_ variable or the file")
    func eachSource() throws {
        let fromOption = try Self.read(options: {
            $0.set(Settings.port, 9001)
            $0.set(Settings.deviceRate, 2.5)
            $0.set(Settings.tlsNames, ["office.lan,192.168.1.10"])
            $0.set(Settings.tlsInsecureHTTP, true)
        })
        #expect(fromOption.port == 9001 && fromOption.deviceRate == 2.5 && fromOption.tls == .insecureHTTP)
        #expect(fromOption.tlsNames == ["office.lan", "192.168.1.10"])

        let fromEnvironment = try Self.read(environment: [
            "SIPAS_PORT": "9002", "SIPAS_LIMITS_DEVICE_RATE": "2.5", "SIPAS_TLS_NAMES": "office.lan, 192.168.1.10",
            "SIPAS_STUFFING_OFFICE_DAYS": "1,2,3", "SIPAS_LOG_LEVEL": "debug", "PATH": "/bin",
            "SIPAS_REPORT_RECIPIENTS": "Sở Nội vụ; UBND tỉnh, huyện",
        ])
        #expect(fromEnvironment.port == 9002 && fromEnvironment.deviceRate == 2.5 && fromEnvironment.logLevel == .debug)
        #expect(fromEnvironment.tlsNames == ["office.lan", "192.168.1.10"])
        #expect(fromEnvironment.stuffing.officeDays == [1, 2, 3])
        #expect(fromEnvironment.report.recipients == ["Sở Nội vụ", "UBND tỉnh, huyện"])

        let fromFile = try Self.read(
            json: #"""
                {"port": 9003, "dataDir": "/var/lib/sipas", "limits": {"deviceRate": 2.5, "idleTimeoutSeconds": 5},
                 "backup": {"keep": 7, "directory": null}, "tls": {"insecureHTTP": true, "names": ["office.lan"]},
                 "ticketDays": 2, "report": {"recipients": ["Sở Nội vụ", "UBND tỉnh"]}, "publicURL": null}
                """#)
        #expect(fromFile.port == 9003 && fromFile.dataDirectory == "/var/lib/sipas" && fromFile.deviceRate == 2.5)
        #expect(fromFile.idleTimeout == .seconds(5) && fromFile.ticketLifetime == 2 * 24 * 3600)
        #expect(fromFile.backupKeep == 7 && fromFile.backupDirectory == nil && fromFile.publicURL == nil)
        #expect(fromFile.tls == .insecureHTTP && fromFile.tlsNames == ["office.lan"])
        #expect(fromFile.report.recipients == ["Sở Nội vụ", "UBND tỉnh"])

        let fromNone = try Self.read()
        #expect(fromNone.port == 8443 && fromNone.dataDirectory == "data" && fromNone.tls == .officeAuthority)
    }

    @Test(
        "an option wins over a SIPAS_ variable, which wins over the file; the default when none gives the setting",
        arguments: [
            (9001 as Int?, "9002" as String?, 9003 as Int?, 9001),
            (9001, nil, 9003, 9001),
            (9001, "9002", nil, 9001),
            (nil, "9002", 9003, 9002),
            (nil, nil, 9003, 9003),
            (nil, "9002", nil, 9002),
            (nil, nil, nil, 8443),
        ])
    func precedence(_ option: Int?, _ variable: String?, _ file: Int?, _ port: Int) throws {
        let configuration = try Self.read(
            options: { $0.set(Settings.port, option) },
            environment: variable.map { ["SIPAS_PORT": $0] } ?? [:],
            json: file.map { #"{"port": \#($0), "host": "0.0.0.0"}"# } ?? "{}")
        #expect(configuration.port == port)
        // Each setting is taken from the first source that gives it: the file's host stays.
        #expect(configuration.host == (file == nil ? "127.0.0.1" : "0.0.0.0"))
    }

    @Test("the file is the one --config names, else SIPAS_CONFIG's")
    func configFile() throws {
        let option = try Self.file(#"{"port": 9001}"#), variable = try Self.file(#"{"port": 9002}"#)
        var flags = SettingFlags()
        flags.set(Settings.config, option)
        let environment = ["SIPAS_CONFIG": variable]
        #expect(try AppConfiguration(settings: SettingsReader(flags: flags, environment: environment)).port == 9001)
        #expect(
            try AppConfiguration(settings: SettingsReader(flags: SettingFlags(), environment: environment)).port == 9002
        )
        // A command without --config reads its options only.
        #expect(try AppConfiguration(settings: SettingsReader(flags: SettingFlags())).port == 8443)
    }

    // MARK: - Values out of range, from each source

    @Test(
        "a value out of range is refused, naming where it came from",
        arguments: [
            ("port", "70000", "must be a whole number from 1 to 65535"),
            ("limits.writeQueue", "0", "must be a whole number from 1 to 10000000"),
            ("limits.deviceRate", "-1", "must be a number from 0 to 1,000,000"),
            ("ticketDays", "400", "must be a whole number from 1 to 366"),
            ("backup.hour", "24", "must be a whole number from 0 to 23"),
            ("stuffing.identicalRun", "1", "must be 0 (off) or a whole number from 2 to 100000"),
            ("stuffing.burstWindowSeconds", "90000", "must be a whole number of seconds from 0 (off) to 86400"),
        ])
    func outOfRange(_ key: String, _ value: String, _ message: String) throws {
        let setting = try #require(Settings.declaration(key))
        let number = try #require(Double(value))
        let option = Self.refusal {
            try Self.read(options: { flags in
                if let setting = setting as? Setting<Int> { flags.set(setting, Int(number)) }
                if let setting = setting as? Setting<Double> { flags.set(setting, number) }
            })
        }
        let variable = Self.refusal { try Self.read(environment: [setting.environmentName: value]) }
        let nested = key.split(separator: ".").reversed().reduce(value) { #"{"\#($1)": \#($0)}"# }
        let file = Self.refusal { try Self.read(json: nested) }
        // A setting no command takes as an option is named by its key.
        #expect(option.hasPrefix("--\(setting.flag ?? key): \(message)"), "\(option)")
        #expect(variable.hasPrefix("\(setting.environmentName): \(message)"), "\(variable)")
        #expect(file.hasPrefix("\(try Self.file(nested)): \(key): \(message)"), "\(file)")
    }

    @Test(
        "a wrong setting is refused with a message naming it",
        arguments: ([
            (#"{"port": "https"}"#, [String: String](), "port: must be a whole number from 1 to 65535"),
            (#"{"port": true}"#, [:], "port: must be a whole number from 1 to 65535"),
            (#"{"port": {"number": 1}}"#, [:], "port: must be a whole number from 1 to 65535"),
            ("{}", ["SIPAS_PORT": "https"], "SIPAS_PORT: must be a whole number from 1 to 65535"),
            (
                #"{"limits": {"deviceRte": 5}}"#, [:],
                "unknown setting 'limits.deviceRte' (did you mean limits.deviceRate?)"
            ),
            (#"{"config": "/etc/sipas/other.json"}"#, [:], "unknown setting 'config'"),
            (#"{"tls": {"insecureHTTP": 1}}"#, [:], "tls.insecureHTTP: must be true or false"),
            ("{}", ["SIPAS_TLS_INSECURE_HTTP": "maybe"], "SIPAS_TLS_INSECURE_HTTP: must be true or false"),
            (#"{"tls": {"cert": "/etc/ssl/a.pem"}}"#, [:], "tls.cert: tls.cert and tls.key go together"),
            ("{}", ["SIPAS_TLS_KEY": "/etc/ssl/a.key"], "SIPAS_TLS_KEY: tls.cert and tls.key go together"),
            (
                #"{"tls": {"cert": "/etc/ssl/a.pem", "key": "/etc/ssl/a.key"}}"#, ["SIPAS_TLS_INSECURE_HTTP": "true"],
                "SIPAS_TLS_INSECURE_HTTP: excludes tls.cert"
            ),
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
            ("{}", ["SIPAS_STUFFING_OFFICE_DAYS": "1,8"], "SIPAS_STUFFING_OFFICE_DAYS: 8 is not an ISO weekday"),
            (
                "{}", ["SIPAS_STUFFING_OFFICE_DAYS": "weekdays"],
                "SIPAS_STUFFING_OFFICE_DAYS: must be a list of whole numbers"
            ),
            (#"{"stuffing": {"officeDays": [1, "2"]}}"#, [:], "stuffing.officeDays: must be a list of whole numbers"),
            (#"{"logLevel": "loud"}"#, [:], "logLevel: must be one of trace, debug, info"),
            ("{}", ["SIPAS_LOG_LEVEL": "loud"], "SIPAS_LOG_LEVEL: must be one of trace, debug, info"),
            ("[1, 2]", [:], "not a JSON object"),
            ("{", [:], "not a JSON object"),
            (#"{"tls": {"names": "office.lan"}}"#, [:], "tls.names: must be a list of texts (a JSON array)"),
            (#"{"report": {"recipients": [1]}}"#, [:], "report.recipients: must be a list of texts"),
            ("{}", ["SIPAS_TLS_NAMES": " , "], "SIPAS_TLS_NAMES: is empty; leave it unset"),
            ("{}", ["SIPAS_PUBLIC_URL": "notaurl"], "SIPAS_PUBLIC_URL: must be an https:// address with a host"),
            ("{}", ["SIPAS_PUBLIC_URL": "http://office.lan"], "SIPAS_PUBLIC_URL: must be an https:// address"),
            (
                "{}", ["SIPAS_PUBLIC_URL": "https://văn.lan"],
                "SIPAS_PUBLIC_URL: write the host văn.lan in its xn-- form"
            ),
        ] as [(String, [String: String], String)]).map {
            // Named by what is wrong: the file's text, or the variables set beside an empty file.
            Named($0.1.isEmpty ? $0.0 : $0.1.map { "\($0.key)=\($0.value)" }.joined(separator: " "), $0)
        })
    func refused(_ example: Named<(String, [String: String], String)>) throws {
        let (json, environment, message) = example.value
        let description = Self.refusal { try Self.read(environment: environment, json: json) }
        #expect(description.contains(message), "\(description)")
    }

    @Test("a file that cannot be read is named")
    func unreadableFile() {
        let description = Self.refusal {
            try AppConfiguration(
                settings: SettingsReader(
                    flags: SettingFlags(), environment: ["SIPAS_CONFIG": "/nonexistent/sipas.json"]))
        }
        #expect(description == "/nonexistent/sipas.json: the configuration file cannot be read")
    }

    // MARK: - Options

    @Test("the office certificate's names: a list in the file, `,`-separated in a variable or repeated --tls-name")
    func tlsNames() throws {
        let option = Self.refusal { try Self.read(options: { $0.set(Settings.tlsNames, ["office.lan", "bad name"]) }) }
        #expect(option.hasPrefix("--tls-name: 'bad name' is neither"), "\(option)")
        let empty = Self.refusal { try Self.read(options: { $0.set(Settings.tlsNames, [""]) }) }
        #expect(empty == "--tls-name: is empty; leave it unset for the default")
        #expect(
            try Self.read(options: { $0.set(Settings.tlsNames, ["a.lan", "b.lan,10.0.0.1"]) }).tlsNames == [
                "a.lan", "b.lan", "10.0.0.1",
            ])
    }

    @Test("a TLS mode given as options replaces the file's, as --insecure-http and --tls-cert always have")
    func tlsOptions() throws {
        let certificate = #"{"tls": {"cert": "/etc/ssl/a.pem", "key": "/etc/ssl/a.key"}}"#
        let insecure = try Self.read(options: { $0.set(Settings.tlsInsecureHTTP, true) }, json: certificate)
        #expect(insecure.tls == .insecureHTTP)
        let files = try Self.read(
            options: {
                $0.set(Settings.tlsCert, "/srv/b.pem")
                $0.set(Settings.tlsKey, "/srv/b.key")
            }, json: #"{"tls": {"insecureHTTP": true}}"#)
        #expect(files.tls == .files(certificate: "/srv/b.pem", key: "/srv/b.key"))
    }

    // MARK: - One check per setting

    @Test(
        "office hours 00:00-24:00, accepted by the stuffing rules, are accepted from each source",
        arguments: [
            (#"{"stuffing": {"officeHours": "00:00-24:00"}}"#, [String: String]()),
            ("{}", ["SIPAS_STUFFING_OFFICE_HOURS": "00:00-24:00"]),
        ])
    func wholeDayAccepted(_ json: String, _ environment: [String: String]) throws {
        let configuration = try Self.read(environment: environment, json: json)
        #expect(configuration.stuffing.officeHours == "00:00-24:00")
        #expect(try StuffingRules(configuration.stuffing).thresholds == configuration.stuffing)
    }

    @Test(
        "office hours from the settings flag the responses the rules say: 00:00-24:00 is the whole day",
        arguments: [Named("00:00-24:00", ("00:00-24:00", 0)), Named("07:00-17:30", ("07:00-17:30", 3))])
    func wholeDayThroughTheApp(_ example: Named<(String, Int)>) async throws {
        let (hours, flagged) = example.value
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
            let json = try await client.get("/v1/flags?unit=875&from=2024-11-28&to=2024-11-28", token: admin)
                .decode(FlagsController.Reply.self)
            #expect(json.byReason["outsideOfficeHours"] == flagged, "\(json.byReason)")
            #expect(json.thresholds.officeHours == hours)
        }
    }

    // MARK: - Variables that are not settings

    @Test(
        "a SIPAS_ variable that is no setting is a warning naming the nearest setting, and the server starts",
        arguments: [
            ("SIPAS_PROT", "SIPAS_PROT: not a sipas setting, ignored; did you mean SIPAS_PORT?"),
            ("SIPAS_DATA_DRI", "SIPAS_DATA_DRI: not a sipas setting, ignored; did you mean SIPAS_DATA_DIR?"),
            ("SIPAS_DATABSE", "SIPAS_DATABSE: not a sipas setting, ignored; did you mean SIPAS_DATABASE?"),
            (
                "SIPAS_LIMITS_DEVICE_RATES",
                "SIPAS_LIMITS_DEVICE_RATES: not a sipas setting, ignored; did you mean SIPAS_LIMITS_DEVICE_RATE?"
            ),
            ("SIPAS_CONFG", "SIPAS_CONFG: not a sipas setting, ignored; did you mean SIPAS_CONFIG?"),
            ("SIPAS_XYZ", "SIPAS_XYZ: not a sipas setting, ignored"),
        ].map { Named($0.0, $0) })
    func unknownVariable(_ example: Named<(String, String)>) async throws {
        let (name, warning) = example.value
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

    // MARK: - The commands' assembly

    @Test("a command's report comes from the services the settings assemble, as the server's figures do")
    func commandAssembly() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        // The data set is posted through the server's API first; the command then opens the same directory.
        try await fixture.withApp { _ in }
        var flags = SettingFlags()
        flags.set(Settings.dataDir, fixture.env.directory)
        flags.set(Settings.calendarDir, fixture.env.configuration.calendarDirectory)
        flags.set(Settings.scoringDir, fixture.env.configuration.scoringDirectory)
        let assembly = Assembly(try AppConfiguration(settings: SettingsReader(flags: flags)))
        let period = Period(year: 2024)!
        let table = try await assembly.indexReport(
            database: try assembly.openDatabase(), unit: "875", period: period, survey: "sipas", groupBy: "unit",
            format: .csv)
        let reports = try await Reports.index(
            database: fixture.env.database, unit: "875", period: period, survey: "sipas", groupBy: "unit",
            format: .csv)
        #expect(table == reports)
        let scorecard = try await assembly.services().scorecardReport(
            unit: "875", year: 2024, ruleSet: nil, json: false)
        #expect(scorecard.contains("Cải cách thủ tục hành chính"), "\(scorecard)")
    }
}
