/// What the index of survey `sipas` is called wherever a person reads it (DOMAIN.md §2).
///
/// sipas measures satisfaction with the delivery of public administrative services, asked of people who have just
/// used a one-stop desk. The SIPAS index the Ministry of Home Affairs publishes (QĐ 1001/QĐ-BNV of 11/12/2023) is a
/// household survey with two component indices, and SIPAS is their mean; this figure must never be read as that one.
/// API field names and the survey id stay `sipas`.
public enum IndexName {
    /// The figure's name: "Chỉ số hài lòng về sự phục vụ hành chính (khảo sát tại Bộ phận Một cửa)".
    public static let title = LocalizedText(
        vi: "Chỉ số hài lòng về sự phục vụ hành chính (khảo sát tại Bộ phận Một cửa)",
        en: "Satisfaction with administrative service delivery (one-stop desk survey)")

    /// One sentence on how it relates to the published SIPAS.
    public static let relation = LocalizedText(
        vi:
            "Chỉ số này đo sự hài lòng của người vừa giải quyết thủ tục tại Bộ phận Một cửa đối với việc cung ứng dịch vụ hành chính "
            + "công; đây không phải Chỉ số SIPAS do Bộ Nội vụ công bố, là trung bình của hai chỉ số thành phần (xây dựng, tổ chức thực "
            + "hiện chính sách; cung ứng dịch vụ hành chính công) đo bằng khảo sát hộ gia đình (Quyết định 1001/QĐ-BNV ngày 11/12/2023).",
        en:
            "It measures the satisfaction of people who have just used the one-stop desk with the delivery of public administrative "
            + "services; it is not the SIPAS index the Ministry of Home Affairs publishes, which is the mean of two component indices "
            + "(policy making and implementation; service delivery) measured by a household survey (Decision 1001/QĐ-BNV of 11/12/2023)."
    )

    /// The name of the overall figure of a survey: the one above for `sipas`, the survey's own title otherwise.
    public static func overall(of definition: SurveyDefinition) -> LocalizedText {
        definition.id == "sipas" ? title : definition.title
    }
}
