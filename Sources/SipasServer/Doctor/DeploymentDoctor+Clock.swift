import Foundation

// MARK: - The clock against an NTP server

extension DeploymentDoctor {
    /// Beyond this offset (seconds) the clock needs fixing: responses are signed and dated by it, due dates are
    /// counted from its date, and tablets' answers dated ahead of it are refused.
    static let clockActionSeconds: TimeInterval = 2

    /// One SNTP exchange; an office without a reachable NTP server skips the check rather than fail it.
    func clockCheck() -> DeploymentCheck {
        guard let ntp else {
            return DeploymentCheck(
                "clock", .skipped, "not checked (--ntp-server none)",
                fix: "timedatectl should show System clock synchronized: yes")
        }
        let offset: TimeInterval
        do {
            offset = try ntp.offset()
        } catch {
            return DeploymentCheck(
                "clock", .skipped, "no NTP source reachable (\(error))",
                fix:
                    "timedatectl should show System clock synchronized: yes; --ntp-server names a server of the office network"
            )
        }
        return Self.clock(offset: offset, source: ntp.name)
    }

    /// The finding for a measured offset (seconds; positive when the local clock is behind `source`).
    static func clock(offset: TimeInterval, source: String) -> DeploymentCheck {
        let seconds = String(format: "%.3f s", abs(offset))
        let summary =
            abs(offset) < 0.0005
            ? "in step with \(source)" : "\(seconds) \(offset > 0 ? "behind" : "ahead of") \(source)"
        guard abs(offset) <= clockActionSeconds else {
            return DeploymentCheck(
                "clock", .action, summary + ": responses are signed and due dates counted by this clock",
                fix: "synchronise it: timedatectl set-ntp true (apt-get install systemd-timesyncd), then timedatectl")
        }
        return DeploymentCheck("clock", .ok, summary)
    }
}
