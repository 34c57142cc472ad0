import Foundation
import SipasDomain

/// The context of `/admin/devices` (`admin-devices.mustache`): the devices with their unit, last response and
/// count this month, the form registering one (the units in force today), and a code just issued.
struct DevicesPage {
    let texts: [String: String]
    let directory: UnitDirectory
    let today: LocalDate

    /// What the register form shows again after a refusal: the values typed and the error.
    struct Typed {
        var unit = "", desk = "", label = ""
        var error: String?
    }

    /// The devices, newest registrations last, each with its status and the forms that act on it.
    func rows(_ overview: [DeviceOverview]) -> [[String: Any]] {
        overview.map { entry in
            let device = entry.device
            var row: [String: Any] = [
                "id": device.id, "unit": device.unit, "unitName": directory.name(of: device.unit, on: today) ?? "",
                "desk": device.desk ?? "", "label": device.label ?? "",
                "lastSeen": entry.lastSeenAt.flatMap(Self.localTime) ?? (texts["never"] ?? "—"),
                "thisMonth": entry.thisMonth, "status": texts[Self.textKey(device.status)] ?? device.status.rawValue,
                "statusClass": device.status.rawValue, "active": device.status != .revoked,
            ]
            row["codeExpiresAt"] = entry.openCodeExpiresAt.flatMap(Self.localTime)
            return row
        }
    }

    /// The units a device may be registered for: those in force today, a province first, then its districts and
    /// communes by code.
    func units(selected: String) -> [[String: Any]] {
        directory.all.filter { $0.isInForce(on: today) }
            .sorted { ($0.level.codeLength, $0.code) < ($1.level.codeLength, $1.code) }
            .map { unit in
                var option: [String: Any] = ["code": unit.code, "name": unit.name]
                if unit.code == selected { option["selected"] = true }
                return option
            }
    }

    /// A code just issued: the code, its link as text and as a QR code, and until when it works.
    func issued(_ issued: IssuedEnrollment, base: String, rekeyed: Bool) -> [String: Any] {
        let link = issued.link(base: base)
        let device = issued.device
        var context: [String: Any] = [
            "code": issued.code.description, "link": link, "qr": QRCode.svg(link, moduleSize: 6) ?? "",
            "expiresAt": Self.localTime(issued.expiresAt), "id": device.id, "unit": device.unit,
            "unitName": directory.name(of: device.unit, on: today) ?? "", "desk": device.desk ?? "",
            "label": device.label ?? "", "rekeyed": rekeyed,
        ]
        context["name"] = Self.name(of: device)
        return context
    }

    // MARK: - Words

    /// What a device is called on the pages: its label, else its desk, else its number.
    static func name(of device: Device) -> String {
        device.label ?? device.desk ?? "#\(device.id)"
    }

    static func textKey(_ status: DeviceStatus) -> String {
        switch status {
        case .active: "statusActive"
        case .revoked: "statusRevoked"
        case .awaitingEnrollment: "statusAwaitingEnrollment"
        }
    }

    /// `29/11/2024 10:00`, Vietnam time, from a stored time.
    static func localTime(_ stored: String) -> String? {
        Timestamp.parse(stored).map(localTime)
    }

    /// `29/11/2024 10:00`, Vietnam time.
    static func localTime(_ instant: Date) -> String {
        "\(IndexReport.vietnamese(LocalDate(instant))) \(TimeOfDay(instant))"
    }
}
