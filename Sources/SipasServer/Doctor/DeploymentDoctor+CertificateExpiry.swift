import Foundation
import SipasDomain
import X509

// MARK: - Days until the server certificate expires

extension DeploymentDoctor {
    /// Below this many days an operator's certificate must be renewed now (a renewal by hand, or a CA's
    /// turnaround, takes days).
    static let certificateActionDays = 14
    /// The self-issued certificate is renewed by the server this many days before it expires (`TLSMaterial`).
    static let selfIssuedRenewalDays = 30

    /// Days left; the operator's certificate is theirs to renew, the self-issued one the server's.
    func certificateExpiry(_ leaf: Certificate, now: Date, selfIssued: Bool) -> DeploymentCheck {
        let end = LocalDate(leaf.notValidAfter)
        if leaf.notValidBefore > now {
            return DeploymentCheck(
                "cert expiry", .action,
                "not valid before \(LocalDate(leaf.notValidBefore)): the clock or the certificate is wrong",
                fix: "check the date (timedatectl), then the certificate")
        }
        let days = Int((leaf.notValidAfter.timeIntervalSince(now) / 86_400).rounded(.down))
        if leaf.notValidAfter <= now {
            return DeploymentCheck(
                "cert expiry", .action, "expired on \(end): clients refuse the connection", fix: renewal(selfIssued))
        }
        let left = "expires in \(days) day\(days == 1 ? "" : "s") (\(end))"
        if selfIssued {
            let note = "sipas renews it itself \(Self.selfIssuedRenewalDays) days before"
            guard days >= Self.selfIssuedRenewalDays else {
                return DeploymentCheck(
                    "cert expiry", .warning, "\(left); \(note), so the server has not run since it was due",
                    fix: "start sipas serve (systemctl start sipas): it renews the certificate at start")
            }
            return DeploymentCheck("cert expiry", .ok, "\(left); \(note)")
        }
        if days < Self.certificateActionDays {
            return DeploymentCheck("cert expiry", .action, left, fix: renewal(false))
        }
        if days < 30 {
            return DeploymentCheck(
                "cert expiry", .warning, "\(left); automatic renewals (certbot) renew 30 days before",
                fix: "check the renewal runs (systemctl list-timers certbot), or renew it by hand soon")
        }
        return DeploymentCheck("cert expiry", .ok, left)
    }
}
