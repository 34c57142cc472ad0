import Foundation

/// One finding of `sipas doctor`: what was looked at, how it stands and, when it is not ok, what to do.
public struct DeploymentCheck: Sendable, Hashable {
    /// How a finding stands, from nothing to do to something the operator must fix.
    public enum Status: String, Sendable, Hashable {
        /// Nothing to do.
        case ok
        /// Worth a look; the server works meanwhile.
        case warning
        /// Must be fixed: the deployment is at risk (lost data, refused connections, wrong dates).
        case action = "ACTION"
        /// Could not be checked here (nothing to check yet, or no source to check against).
        case skipped
    }

    /// Short name of what was checked (`certificate`, `backups`…), the second column of the output.
    public let name: String
    public let status: Status
    /// What was found, e.g. `names: office.lan, 192.168.1.10; public URL host office.lan is among them`.
    public let summary: String
    /// What to do about it, when the status is not ok.
    public let fix: String?

    public init(_ name: String, _ status: Status, _ summary: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.summary = summary
        self.fix = fix
    }

    /// The finding as one line: the status in a column of 8, the name padded to `nameWidth`, the summary, then the fix.
    public func line(nameWidth: Int) -> String {
        let statusColumn = status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        let nameColumn = name.padding(toLength: max(nameWidth, name.count), withPad: " ", startingAt: 0)
        return statusColumn + nameColumn + "  " + summary + (fix.map { "; fix: \($0)" } ?? "")
    }
}
