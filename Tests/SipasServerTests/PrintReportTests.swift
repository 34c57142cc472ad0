import Foundation
import Hummingbird
import HummingbirdTesting
import SipasDomain
import Testing

@testable import SipasServer

@Suite("The printed report: a BÁO CÁO in the form of NĐ 30/2020/NĐ-CP, charts that print, tables that fit")
struct PrintReportTests {
    /// The parts of the form, in the order the decree lays them out (Phụ lục I; Phụ lục III, Mẫu 1.4), then the body's.
    static let parts = [
        #"<div class="parent-body">UBND TỈNH ĐỒNG THÁP</div>"#,
        #"<div class="issuing-body">ỦY BAN NHÂN DÂN HUYỆN LẤP VÒ</div>"#,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        #"Số: <span class="fill"></span>/BC-UBND"#,
        #"Lấp Vò, ngày <span class="fill"></span> tháng <span class="fill"></span> năm 2026"#,
        #"<p class="doc-type">BÁO CÁO</p>"#,
        "Kết quả đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước năm 2024",
        "I. CHỈ SỐ HÀI LÒNG", "Khoảng tin cậy 95 %", "2. Chỉ số hài lòng của các đơn vị",
        "3. Chỉ số hài lòng theo tháng",
        "4. Chỉ số hài lòng theo kết quả giải quyết hồ sơ", "5. So sánh với năm 2023",
        "II. TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ", "III. BẢNG ĐIỂM CẢI CÁCH HÀNH CHÍNH", "IV. PHƯƠNG PHÁP VÀ NGUỒN SỐ LIỆU",
        "dưới 5 người trả lời", "ẩn bổ sung", "./.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
        #"<span class="fill-name"></span>"#,
    ]

    @Test(
        "the print page carries every part of the NĐ 30 form, in order; the page rules carry the as-of time and pages")
    func partsInOrder() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        try await fixture.withApp { (client: any TestClientProtocol) async throws in
            let (_, session) = try await DashboardLandingTests.signIn(
                client, through: "/dashboard/print?unit=875&year=2024", token: fixture.districtOfficial)
            let page = try await client.page(
                "/dashboard/print?unit=875&year=2024", cookies: ["sipas_session": try #require(session)])
            #expect(page.status == .ok)
            var rest = Substring(page.text)
            for part in Self.parts {
                let found = rest.range(of: part)
                #expect(found != nil, "\(part) is missing or out of order")
                if let found { rest = rest[found.upperBound...] }
            }
            // The charts keep their bars on paper: no class the print rules hide.
            #expect(page.text.contains(#"class="chart-bar""#) && !page.text.contains(#"class="bar""#))
            // Page numbers from page 2 and the as-of time on every page, through a style block the policy lets in.
            let nonce = try #require(page.text.firstMatch(of: /<style nonce="([^"]+)">/)?.1)
            #expect(page.headers[.contentSecurityPolicy]?.contains("style-src 'self' 'nonce-\(nonce)'") == true)
            #expect(
                page.text.contains(#"content: "Số liệu đến "#)
                    && page.text.contains(#"counter(page) "/" counter(pages)"#))
            #expect(page.text.contains("@page :first { @top-center { content: none; } }"))
            // The dashboard itself allows no inline style.
            let dashboard = try await client.page(
                "/dashboard?unit=875&year=2024", cookies: ["sipas_session": try #require(session)])
            #expect(dashboard.headers[.contentSecurityPolicy]?.contains("style-src 'self';") == true)
        }
    }

    @Test("the issuing body, place, signer and recipients come from the settings when set")
    func fromSettings() async throws {
        let fixture = try await IndexFixture()
        defer { fixture.env.remove() }
        var configuration = fixture.env.configuration
        try Settings.apply(
            file: nil,
            environment: [
                "SIPAS_REPORT_ISSUING_BODY": "ỦY BAN NHÂN DÂN XÃ MỸ AN HƯNG", "SIPAS_REPORT_PLACE": "Mỹ An Hưng",
                "SIPAS_REPORT_SIGNER_NAME": "Nguyễn Văn A",
                "SIPAS_REPORT_RECIPIENTS": "UBND huyện Lấp Vò; Văn phòng HĐND-UBND",
            ], to: &configuration)
        try await fixture.withApp(configuration) { (client: any TestClientProtocol) async throws in
            let (_, session) = try await DashboardLandingTests.signIn(
                client, through: "/dashboard/print?unit=875&year=2024", token: fixture.districtOfficial)
            let page = try await client.page(
                "/dashboard/print?unit=875&year=2024", cookies: ["sipas_session": try #require(session)]
            ).text
            #expect(page.contains(#"<div class="issuing-body">ỦY BAN NHÂN DÂN XÃ MỸ AN HƯNG</div>"#))
            #expect(page.contains("Mỹ An Hưng, ngày"))
            #expect(page.contains("<li>- UBND huyện Lấp Vò;</li>") && page.contains("<li>- Văn phòng HĐND-UBND;</li>"))
            #expect(page.contains(#"<div class="signer-name">Nguyễn Văn A</div>"#))
        }
    }

    @Test(
        "defaults from the unit directory",
        arguments: [
            ("Huyện Lấp Vò", "Lấp Vò"), ("Xã Mỹ An Hưng A", "Mỹ An Hưng A"), ("Tỉnh Đồng Tháp", "Đồng Tháp"),
            ("Thị trấn Lấp Vò", "Lấp Vò"), ("Thành phố Sa Đéc", "Sa Đéc"),
        ].map { Named($0.0, $0) })
    func placeName(_ unit: Named<(String, String)>) {
        let (name, place) = unit.value
        #expect(ReportDocument.placeName(name) == place)
    }
}
