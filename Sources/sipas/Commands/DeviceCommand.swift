import ArgumentParser
import Foundation
import SipasServer

/// `sipas device add|list|rekey|revoke`: desk tablets and kiosks that post responses.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Desk tablets and kiosks.",
        subcommands: [Add.self, List.self, Rekey.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Register a device; its key is printed once, alone on the last line (with --enroll: a code and link).")
        @Option(help: "Code of the unit the device serves (responses may name it or a unit under it).") var unit: String
        @Option(help: "The one-stop desk it stands at.") var desk: String?
        @Option(help: "A label to recognise it by.") var label: String?
        @OptionGroup var enrollment: EnrollOptions
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let database = try dataDir.open()
            if enrollment.enroll {
                let base = try enrollment.linkBase()
                let issued = try reportingOperatorErrors {
                    try database.addDeviceForEnrollment(unit: unit, desk: desk, label: label, now: Date())
                }
                let device = issued.device
                let atDesk = device.desk.map { ", desk \($0)" } ?? ""
                print(
                    "device \(device.id) registered for unit \(device.unit)\(atDesk); no key works until it is enrolled"
                )
                enrollment.report(issued, base: base)
                return
            }
            let (device, key) = try reportingOperatorErrors {
                try database.addDevice(unit: unit, desk: desk, label: label, now: Date())
            }
            print("device \(device.id) registered for unit \(device.unit)\(device.desk.map { ", desk \($0)" } ?? "")")
            print("its key is shown only now; store it on the device:")
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices (keys are never shown).")
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let devices = try dataDir.openExisting().devices()
            print(
                TextTable.render(
                    header: ["id", "unit", "desk", "label", "created", "revoked", "awaiting enrollment"],
                    rows: devices.map {
                        [
                            String($0.id), $0.unit, $0.desk ?? "", $0.label ?? "", $0.createdAt, $0.revokedAt ?? "",
                            $0.awaitingEnrollment ? "yes" : "",
                        ]
                    }))
        }
    }

    struct Rekey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a device a new key (a lost or leaked key); the old key stops working at once.",
            discussion: """
                The device stays the same device: responses it queued before are recognised as its resends, \
                so a replaced or re-keyed tablet's backlog is counted once. Prefer this to revoke + add. \
                A revoked device is brought back with the new key. The key is printed once, alone on the last line; \
                with --enroll, an enrollment code and its link instead (the link on the last line).
                """)
        @Argument(help: "The device id (see device list).") var id: Int64
        @OptionGroup var enrollment: EnrollOptions
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            if enrollment.enroll {
                let base = try enrollment.linkBase()
                guard let issued = try dataDir.openExisting().rekeyDeviceForEnrollment(id: id, now: Date()) else {
                    printError("no device \(id)")
                    throw ExitCode.failure
                }
                print("device \(id)'s old key no longer works; the code below gives it a new one")
                enrollment.report(issued, base: base)
                return
            }
            guard let (device, key) = try dataDir.openExisting().rekeyDevice(id: id, now: Date()) else {
                printError("no device \(id)")
                throw ExitCode.failure
            }
            print(
                "device \(device.id) (unit \(device.unit)\(device.desk.map { ", desk \($0)" } ?? "")) has a new key; the old one no longer works"
            )
            print("its key is shown only now; store it on the device:")
            print(key)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a device; its key stops working at once.")
        @Argument(help: "The device id (see device list).") var id: Int64
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            guard try dataDir.openExisting().revokeDevice(id: id, now: Date()) else {
                printError("no active device \(id)")
                throw ExitCode.failure
            }
            print("device \(id) revoked")
        }
    }
}
