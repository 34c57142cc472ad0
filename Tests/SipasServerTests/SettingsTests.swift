import Foundation
import Testing

@testable import SipasServer

@Suite("Settings from a file and the environment")
struct SettingsTests {
    func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-settings-\(UUID().uuidString).json").path
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
    }

    @Test("nested file settings apply; the environment wins over the file")
    func precedence() throws {
        let path = try file(#"{"port": 9443, "dataDir": "/var/lib/sipas", "limits": {"deviceRate": 2.5}, "backup": {"keep": 7}, "tls": {"insecureHTTP": true}}"#)
        var configuration = AppConfiguration()
        try Settings.apply(
            file: path, environment: ["SIPAS_PORT": "10443", "SIPAS_STUFFING_OFFICE_DAYS": "1,2,3", "PATH": "/bin"], to: &configuration)
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
            (#"{"limits": {"deviceRte": 5}}"#, [:], "unknown setting 'limits.deviceRte'"),
            (#"{"tls": {"insecureHTTP": 1}}"#, [:], "tls.insecureHTTP: must be true or false"),
            (#"{"tls": {"cert": "/etc/ssl/a.pem"}}"#, [:], "tls.cert and tls.key go together"),
            (#"{"stuffing": {"officeHours": "17:30-07:00"}}"#, [:], "stuffing.officeHours: must be HH:MM-HH:MM"),
            (#"{"logLevel": "loud"}"#, [:], "logLevel: must be one of"),
            ("[1, 2]", [:], "not a JSON object"),
            ("{}", ["SIPAS_LIMITS_DEVICE_RATE": "-1"], "SIPAS_LIMITS_DEVICE_RATE: must be a number from 0"),
            ("{}", ["SIPAS_PROT": "1"], "SIPAS_PROT: unknown setting"),
        ])
    func refused(_ json: String, _ environment: [String: String], _ message: String) throws {
        let path = try file(json)
        var configuration = AppConfiguration()
        let error = #expect(throws: OperatorError.self) { try Settings.apply(file: path, environment: environment, to: &configuration) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test("environment names follow the setting path")
    func environmentNames() {
        #expect(Settings.environmentName("limits.deviceRate") == "SIPAS_LIMITS_DEVICE_RATE")
        #expect(Settings.environmentName("dataDir") == "SIPAS_DATA_DIR")
        #expect(Settings.environmentName("publicURL") == "SIPAS_PUBLIC_URL")
        #expect(Settings.environmentName("tls.insecureHTTP") == "SIPAS_TLS_INSECURE_HTTP")
    }
}
