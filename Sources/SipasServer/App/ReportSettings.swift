import Foundation

/// The parts of the printed report that name who issues and signs it (NĐ 30/2020/NĐ-CP, Phụ lục I): set once per
/// deployment; what is not set comes from the unit printed and its parent in the unit directory, so a commune
/// prints its own name.
public struct ReportSettings: Sendable, Equatable {
    /// Tên cơ quan ban hành, e.g. "ỦY BAN NHÂN DÂN HUYỆN LẤP VÒ" (default: from the unit).
    public var issuingBody: String?
    /// Tên cơ quan chủ quản, e.g. "UBND TỈNH ĐỒNG THÁP" (default: from the unit's parent; none for a province).
    public var parentBody: String?
    /// Địa danh of the date line, e.g. "Lấp Vò" (default: the unit's name without its level word).
    public var place: String?
    /// Quyền hạn của người ký.
    public var signerAuthority = Settings.signerAuthority.defaultValue
    /// Chức vụ của người ký.
    public var signerTitle = Settings.signerTitle.defaultValue
    /// Họ tên người ký; a dotted line to fill in when not set.
    public var signerName: String?
    /// Nơi nhận between "- Như trên;" and "- Lưu: VT.".
    public var recipients: [String] = []

    public init() {}

    /// Applies the `report.*` settings `settings` gives.
    mutating func apply(_ settings: SettingsReader) throws {
        if let v = try settings.value(Settings.issuingBody) { issuingBody = v }
        if let v = try settings.value(Settings.parentBody) { parentBody = v }
        if let v = try settings.value(Settings.place) { place = v }
        if let v = try settings.value(Settings.signerAuthority) { signerAuthority = v }
        if let v = try settings.value(Settings.signerTitle) { signerTitle = v }
        if let v = try settings.value(Settings.signerName) { signerName = v }
        if let v = try settings.value(Settings.recipients) { recipients = v }
    }
}
