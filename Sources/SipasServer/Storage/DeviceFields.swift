import SipasDomain

/// A device's unit, desk and label as given, in the one text form (NFC, no control characters), checked before
/// the transaction that registers it. The desk is a filter of the index, so two spellings of one desk must be
/// one value.
struct DeviceFields: Sendable {
    let unit: String
    let desk: String?
    let label: String?

    /// Refuses with an ``OperatorError`` naming the command's option (the web page checks its fields first).
    init(unit: String, desk: String?, label: String?) throws {
        guard let unit = try OperatorError.text(unit, option: "--unit") else {
            throw OperatorError("--unit is required")
        }
        self.unit = unit
        self.desk = try OperatorError.text(desk, option: "--desk")
        self.label = try OperatorError.text(label, option: "--label", maximumLength: InputText.maximumNameLength)
    }

    /// The audit log's words for the device registered with these fields.
    func description(_ id: Int64) -> String {
        "device \(id), unit \(unit)\(desk.map { ", desk \($0)" } ?? "")"
    }
}
