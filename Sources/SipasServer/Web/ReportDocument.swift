import Foundation
import HTTPTypes
import SipasDomain

/// The printed report (`/dashboard/print`, `sipas report print`): the dashboard's figures laid out as a BÁO CÁO of a
/// People's Committee in the form of Nghị định 30/2020/NĐ-CP, Phụ lục I (issuing body under its parent, the national
/// motto, number line, place and date, title and summary, numbered body, signer and Nơi nhận). Always Vietnamese:
/// it is filed as an administrative document.
struct ReportDocument: Sendable {
    let figures: DashboardFigures
    let settings: ReportSettings

    /// The whole context of `print.mustache` for `unit` in `year`, as `reader` may see it; throws the service's refusal.
    func context(unit: String, year: Int, reader: FigureReader, now: Date) async throws -> [String: Any] {
        let today = LocalDate(now)
        var context: [String: Any] = ["t": figures.pages.texts("vi"), "lang": "vi", "unit": unit, "year": year]
        let built = try await figures.add(
            to: &context, unit: unit, year: year, reader: reader, language: "vi", today: today, isAdmin: false)
        let snapshot = try await figures.index.units.current()
        let version = built.whole.unitVersion.flatMap { body in
            LocalDate(body.validFrom).flatMap { snapshot.directory.version(body.code, from: $0) }
        }
        let printed = version ?? snapshot.directory.unit(unit, on: LocalDate(year: year, month: 12, day: 31) ?? today)
        let parent = printed?.parent.flatMap { code in
            snapshot.directory.unit(code, on: printed?.validTo ?? LocalDate(year: year, month: 12, day: 31) ?? today)
                ?? snapshot.directory.versions(of: code).last
        }
        let name = printed?.name ?? built.whole.unitName ?? unit
        let asOf = Self.asOf(now)

        var document: [String: Any] = [
            "issuingBody": settings.issuingBody ?? "ỦY BAN NHÂN DÂN " + name.uppercased(),
            "place": settings.place ?? Self.placeName(name),
            "issueYear": today.year,
            "summary":
                "Kết quả đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước năm \(year)",
            "signerAuthority": settings.signerAuthority, "signerTitle": settings.signerTitle,
            "recipients": settings.recipients.map { ["name": $0] },
            "asOf": asOf,
        ]
        // Mustache treats "" as true: a part that is absent is left out, not set empty.
        if let parentBody = settings.parentBody ?? parent.map({ "UBND " + $0.name.uppercased() }), !parentBody.isEmpty {
            document["parentBody"] = parentBody
        }
        if let signer = settings.signerName, !signer.isEmpty { document["signerName"] = signer }
        context["document"] = document
        context["title"] = "Báo cáo kết quả đo lường sự hài lòng năm \(year) – \(name)"
        context["elements"] = Self.elementRows(built.whole.figures)
        context["comparison"] = try await comparison(unit: unit, year: year, reader: reader, current: built.whole)
        context["method"] = method(built, asOf: asOf, year: year).map { ["text": $0] }
        context["styleNonce"] = SecretKey.randomToken()
        context["pageStyle"] = Self.pageStyle(asOf: asOf)
        return context
    }

    // MARK: - Header parts

    /// The place of the date line: the unit's name without its level word ("Huyện Lấp Vò" → "Lấp Vò").
    static func placeName(_ name: String) -> String {
        for word in ["Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ", "Đặc khu "]
        where name.hasPrefix(word) {
            return String(name.dropFirst(word.count))
        }
        return name
    }

    /// When the figures were read, Vietnam time: "30/11/2026 10:00".
    static func asOf(_ now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        return formatter.string(from: now)
    }

    /// The page rules that carry the as-of time: the page number in the top margin from page 2 on (NĐ 30), and the
    /// as-of time with "Trang n/N" at the foot of every page. Inline, so the response allows it by nonce.
    static func pageStyle(asOf: String) -> String {
        """
        @page { size: A4; margin: 20mm 15mm 20mm 30mm;
          @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", Tinos, serif; color: #000; }
          @bottom-center { content: "Số liệu đến \(asOf) · Trang " counter(page) "/" counter(pages);
            font: 10pt "Times New Roman", "Liberation Serif", Tinos, serif; color: #000; } }
        @page :first { @top-center { content: none; } }
        """
    }

    /// The print page's headers: its own policy, which lets the one inline style block of the page through by nonce.
    static func headers(_ context: [String: Any]) -> HTTPFields {
        guard let nonce = context["styleNonce"] as? String else { return [:] }
        return [
            .contentSecurityPolicy: SecurityHeadersMiddleware<AppRequestContext>.contentSecurityPolicy(
                styleNonce: nonce)
        ]
    }

    // MARK: - Body parts

    /// The index and its elements, each with its 95 % interval and n.
    static func elementRows(_ figures: IndexFigures) -> [[String: Any]] {
        func row(_ name: String, _ figure: IndexFigure, strong: Bool) -> [String: Any] {
            [
                "name": name, "value": IndexReport.percent(figure), "strong": strong,
                "interval": figure.ci95.map {
                    "\(IndexReport.number($0.lowerBound)) – \(IndexReport.number($0.upperBound))"
                } ?? "—",
                "n": IndexReport.count(figure),
            ]
        }
        return [row("Chỉ số chung", figures.overall, strong: true)]
            + figures.elements.map { row($0.title.vi, $0.figure, strong: false) }
    }

    /// The index of `year` against the year before, over the same unit version (the comparison `/v1/index/compare`
    /// makes): each figure, the difference, its interval and whether it is significant; or why it cannot be made.
    private func comparison(unit: String, year: Int, reader: FigureReader, current: IndexReport) async throws
        -> [String: Any]
    {
        var result: [String: Any] = ["previousYear": year - 1, "year": year]
        guard let period = Period(year: year), let previous = Period(year: year - 1) else { return result }
        var this = IndexRequest(unit: unit, period: period), last = IndexRequest(unit: unit, period: previous)
        if let version = current.unitVersion {
            this.unit = "\(version.code)@\(version.validFrom)"
            last.unit = this.unit
        }
        let first: IndexReport, second: IndexReport
        do {
            first = try await figures.index.report(last, reader: reader)
            second = try await figures.index.report(this, reader: reader)
        } catch {
            // A refusal (the year before the unit existed…) says why there is no comparison; anything else is a fault.
            guard let problem = Problem(domain: error) else { throw error }
            result["unavailable"] = problem.detail
            return result
        }
        if !UnitVersionBody.sameTerritory(first.unitVersion, second.unitVersion) {
            result["territoryNote"] =
                "Hai năm không cùng địa bàn (đơn vị được sắp xếp lại, nhận một phần đơn vị cũ, hoặc chưa/không còn hiệu lực trong một năm): "
                + "so sánh chỉ mang tính tham khảo."
        }
        let titles = Dictionary(second.figures.elements.map { ($0.id, $0.title.vi) }, uniquingKeysWith: { a, _ in a })
        let changes =
            [IndexComparison.overall(first.figures, second.figures, id: "sipas")]
            + IndexComparison.elements(first.figures, second.figures)
        result["rows"] = changes.map { change -> [String: Any] in
            func text(_ value: Decimal?) -> String { value.map { IndexReport.number($0) + " %" } ?? "—" }
            let difference = change.exactDifference.map { ($0 > 0 ? "+" : "") + IndexReport.number($0) } ?? "—"
            return [
                "name": change.id == "sipas" ? "Chỉ số chung" : titles[change.id] ?? change.id,
                "strong": change.id == "sipas", "first": text(change.firstExact), "second": text(change.secondExact),
                "difference": difference,
                "interval": change.ci95.map {
                    "\(IndexReport.number($0.lowerBound)) – \(IndexReport.number($0.upperBound))"
                } ?? "—",
                "significant": change.significant.map { $0 ? "Có" : "Không" } ?? "—",
            ]
        }
        return result
    }

    /// The method and sources note: how the figures are computed, what is withheld and why, which holidays the due
    /// dates were counted on provisionally, and when the data were read.
    private func method(_ built: DashboardFigures.Built, asOf: String, year: Int) -> [String] {
        let policy = built.whole.policy
        var notes = [
            "Nguồn số liệu: phiếu khảo sát người dân, tổ chức trả lời tại Bộ phận Một cửa (máy tính bảng, kiosk) hoặc qua "
                + "đường dẫn trên giấy hẹn; hồ sơ thủ tục hành chính lấy từ hệ thống một cửa điện tử. Số liệu đến \(asOf).",
            "Chỉ số của mỗi câu hỏi = 100 × số người hài lòng / số câu trả lời hợp lệ, khoảng tin cậy 95 % theo Wilson; chỉ số "
                + "của yếu tố là trung bình chỉ số các câu hỏi; chỉ số hài lòng chung là trung bình chỉ số các yếu tố.",
            "Không công bố (—) số liệu của nhóm có dưới \(policy.privacyMinimum) người trả lời, để không nhận ra được người trả "
                + "lời; ô đánh dấu \(IndexReport.complementaryMark) được ẩn bổ sung để không suy ra được ô không công bố từ tổng và "
                + "các ô còn lại. Dấu * : cỡ mẫu nhỏ (dưới \(policy.smallSampleThreshold) người trả lời), cần thận trọng khi sử dụng.",
        ]
        let calendar = figures.timeliness.calendar
        if let period = Period(year: year) {
            let days = calendar.provisionalDays(from: period.from, to: period.to).map {
                "\(IndexReport.vietnamese($0.date)) \($0.name)"
            }
            let years = calendar.yearsWithoutNotice(from: period.from, to: period.to).map(String.init)
            var holidays =
                days.isEmpty
                ? "Thời hạn giải quyết hồ sơ tính theo ngày làm việc; các ngày nghỉ lễ năm \(year) theo văn bản chính thức."
                : "Thời hạn giải quyết hồ sơ tính theo ngày làm việc; các ngày nghỉ lễ sau tính tạm, chưa có văn bản chính thức: "
                    + days.joined(separator: "; ") + "."
            if !years.isEmpty {
                holidays += " Chưa có thông báo nghỉ lễ của năm " + years.joined(separator: ", ") + "."
            }
            notes.append(holidays)
        }
        notes += built.whole.notes
        return notes
    }
}
