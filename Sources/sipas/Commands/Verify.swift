import ArgumentParser
import Foundation
import SipasServer

/// `sipas verify`: the database file, its references, its aggregates and the response chain, checked
/// from one snapshot (the server may keep running).
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check the database: integrity, foreign keys, aggregates against the responses, and the response chain.",
        discussion: "Prints each check with ok or FAULT; exits with code 1 when any check finds a fault.")

    @Option(help: "A head from an earlier GET /v1/integrity (e.g. a monthly report): it must still be in the chain.")
    var head: String?
    @OptionGroup var dataDir: DataDirOption

    func validate() throws {
        if let head, head.count != 64 || !head.allSatisfy(\.isHexDigit) {
            throw ValidationError("--head must be the 64 hexadecimal digits of a chain head")
        }
    }

    func run() throws {
        let database = try dataDir.openExisting()
        let report = try reportingOperatorErrors { try database.verify(expectedHead: head?.lowercased()) }
        let width = report.checks.map(\.name.count).max() ?? 0
        for check in report.checks {
            let name = check.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(check.isOK ? "ok   " : "FAULT")  \(check.summary)")
            for fault in check.faults { print("    \(fault)") }
        }
        if !report.isOK { throw ExitCode.failure }
    }
}
