import Foundation
import Testing

/// The `sipas` command itself, as an operator runs it: a command that reads or changes what is stored, given a
/// `--data-dir` without a database, says so and exits 1, instead of creating an empty database and reporting on it
/// (`sipas verify` used to print "ok" for every check of a misspelt path).
@Suite("Commands given a data directory without a database")
struct CommandLineDataDirTests {
    /// The `sipas` binary beside the test bundle (`swift build --build-tests` builds every product).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("sipas").path

    @Test(
        "each refuses with the path and creates nothing",
        arguments: [
            ["verify"], ["audit"], ["backup", "/tmp/sipas-never-written.sqlite"], ["device", "list"],
            ["device", "revoke", "1"],
            ["device", "rekey", "1"], ["token", "list"], ["token", "revoke", "1"], ["units", "list"],
            ["report", "index", "--unit", "875", "--year", "2024"],
        ])
    func refused(_ command: [String]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "no sipas binary at \(Self.binary)")
        let directory = NSTemporaryDirectory() + "sipas-missing-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let finished = try ChildProcess.run(Self.binary, command + ["--data-dir", directory])
        let message = finished.errors
        #expect(finished.status == 1, "\(command): \(message)")
        #expect(message.contains("no database at \(directory)/sipas.sqlite"), "\(command): \(message)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/sipas.sqlite"), "\(command)")
    }
}
