import ArgumentParser
import Foundation
import SipasServer

extension AccessToken.Role: ExpressibleByArgument {}

/// `sipas token add|list|revoke`: officials', integrations' and admins' bearer tokens.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Officials' and admins' tokens.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; it is printed once, alone on the last line.")
        @Option(
            help:
                "admin (every unit), official (reads one unit and everything under it) or integration (pushes dossiers for one unit subtree)."
        )
        var role: AccessToken.Role
        @Option(help: "Code of the unit the token answers for (required for officials).") var unit: String?
        @Option(help: "Who holds it, e.g. \"Phòng Nội vụ huyện Lấp Vò\".") var label: String
        @OptionGroup var dataDir: DataDirOption

        func validate() throws {
            if role != .admin && unit == nil { throw ValidationError("an \(role.rawValue) token needs --unit") }
            if label.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--label must not be empty") }
        }

        func run() throws {
            let database = try dataDir.open()
            let (token, key) = try reportingOperatorErrors {
                try database.addToken(role: role, unit: unit, label: label, now: Date())
            }
            print(
                "token \(token.id) created: \(token.role.rawValue)\(token.unitReference.map { " for unit \($0)" } ?? " for every unit")"
            )
            print("it is shown only now; hand it to its holder:")
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (secrets are never shown).")
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            let tokens = try dataDir.openExisting().tokens()
            print(
                TextTable.render(
                    header: ["id", "role", "unit", "label", "created", "revoked"],
                    rows: tokens.map {
                        [
                            String($0.id), $0.role.rawValue, $0.unitReference ?? "*", $0.label, $0.createdAt,
                            $0.revokedAt ?? "",
                        ]
                    }))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working at once.")
        @Argument(help: "The token id (see token list).") var id: Int64
        @OptionGroup var dataDir: DataDirOption

        func run() throws {
            guard try dataDir.openExisting().revokeToken(id: id, now: Date()) else {
                printError("no active token \(id)")
                throw ExitCode.failure
            }
            print("token \(id) revoked")
        }
    }
}
