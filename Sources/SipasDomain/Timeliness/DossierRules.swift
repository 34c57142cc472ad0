import Foundation

/// What a dossier upsert did.
public enum DossierChange: Hashable, Sendable {
    case created(Dossier)
    case updated(Dossier)
    /// The stored dossier, which the submission did not change.
    case unchanged(Dossier)
}

/// The rules of dossiers: what a valid one is, and which updates move it forward rather than rewrite history.
public struct DossierRules: Sendable {
    public let procedures: [String: Procedure]
    public let calendar: WorkingCalendar

    public init(procedures: [String: Procedure], calendar: WorkingCalendar) {
        self.procedures = procedures
        self.calendar = calendar
    }

    /// Validates a submission into a dossier, computing the due date from the legal time when absent.
    public func validate(_ submission: DossierSubmission, now: Date) -> Result<Dossier, InvalidInput> {
        var problems: [FieldProblem] = []
        func report(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        // Codes follow the one text rule (NFC, no control characters, at most 64 code points): the same
        // dossier or procedure code is refused or accepted alike here, on a ticket and on a response.
        func required(_ value: String?, _ field: String) -> String? {
            switch InputText.required(value, field: field) {
            case .success(let text): return text
            case .failure(let problem):
                problems.append(problem)
                return nil
            }
        }
        let code = required(submission.code, "code")
        let unit = required(submission.unit, "unit")
        var resolvingUnit: String?
        switch InputText.optional(submission.resolvingUnit, field: "resolvingUnit") {
        case .success(let value): resolvingUnit = value
        case .failure(let problem): problems.append(problem)
        }
        var procedure: Procedure?
        if let procedureCode = required(submission.procedure, "procedure") {
            procedure = procedures[procedureCode]
            if procedure == nil {
                report("procedure", "unknown procedure '\(procedureCode)'; import the procedures catalogue first")
            }
        }
        var channel: DossierChannel?
        if let raw = required(submission.channel, "channel") {
            channel = DossierChannel(rawValue: raw)
            if channel == nil {
                report(
                    "channel",
                    "'\(raw)' is not one of \(DossierChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var status: DossierStatus?
        if let raw = required(submission.status, "status") {
            status = DossierStatus(rawValue: raw)
            if status == nil {
                report(
                    "status", "'\(raw)' is not one of \(DossierStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
        func instant(_ raw: String?, _ field: String) -> Date? {
            guard let raw else { return nil }
            guard let date = Timestamp.parse(raw) else {
                report(field, "'\(raw)' is not an RFC 3339 date-time with offset, e.g. 2024-03-14T09:30:00+07:00")
                return nil
            }
            if date > now.addingTimeInterval(ResponseValidator.allowedClockSkew) {
                report(field, "\(raw) is in the future")
            }
            return Timestamp.truncatedToMilliseconds(date)
        }
        var receivedAt: Date?
        if submission.receivedAt == nil {
            report("receivedAt", "is required")
        } else {
            receivedAt = instant(submission.receivedAt, "receivedAt")
        }
        let resolvedAt = instant(submission.resolvedAt, "resolvedAt")
        if let status {
            if status.isResolved && submission.resolvedAt == nil {
                report("resolvedAt", "is required when status is \(status.rawValue)")
            }
            if !status.isResolved && submission.resolvedAt != nil {
                report("resolvedAt", "must be absent while status is \(status.rawValue)")
            }
        }
        if let receivedAt, let resolvedAt, resolvedAt < receivedAt { report("resolvedAt", "is before receivedAt") }

        var dueDate: LocalDate?
        var dueDateBasis = DueDateBasis.given
        if let raw = submission.dueDate {
            dueDate = LocalDate(raw)
            if dueDate == nil { report("dueDate", "'\(raw)' is not a date YYYY-MM-DD") }
            if let dueDate, let receivedAt, dueDate < LocalDate(receivedAt) {
                report("dueDate", "\(dueDate) is before the receipt")
            }
        } else if let procedure, let receivedAt {
            do {
                let due = try calendar.dueDate(receivedAt: receivedAt, workingDays: procedure.legalDays)
                dueDate = due.date
                dueDateBasis = due.provisional ? .provisional : .computed
            } catch {
                report("dueDate", "cannot be computed: \(error)")
            }
        }
        let feeBearing = submission.feeBearing ?? procedure?.feeBearing ?? false
        if submission.paidOnline == true && !feeBearing {
            report("paidOnline", "a dossier without fees cannot be paid online")
        }
        if submission.fullOnline == true && channel != nil && channel != .online {
            report("fullOnline", "a full-online dossier comes through the online channel")
        }

        guard problems.isEmpty, let code, let unit, let procedure, let channel, let status, let receivedAt, let dueDate
        else {
            return .failure(InvalidInput(problems))
        }
        return .success(
            Dossier(
                code: code, procedure: procedure.code, unit: unit, resolvingUnit: resolvingUnit, channel: channel,
                receivedAt: receivedAt,
                dueDate: dueDate, dueDateBasis: dueDateBasis, resolvedAt: resolvedAt, status: status,
                fullOnline: submission.fullOnline ?? false,
                paidOnline: submission.paidOnline ?? false, feeBearing: feeBearing,
                digitised: submission.digitised ?? false,
                apologyIssued: submission.apologyIssued ?? false))
    }

    /// Decides an upsert against the stored dossier: created, a forward update, unchanged, or refused
    /// because it would rewrite history.
    public static func change(from stored: Dossier?, to submitted: Dossier) -> Result<DossierChange, InvalidInput> {
        guard let stored else { return .success(.created(submitted)) }
        var new = submitted
        // The source's appointment stays when an update leaves the date out: sipas's count never replaces it.
        if stored.dueDateBasis == .given && new.dueDateBasis != .given {
            new.dueDate = stored.dueDate
            new.dueDateBasis = .given
        }
        if stored == new { return .success(.unchanged(stored)) }
        var problems: [FieldProblem] = []
        func refuse(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        if stored.receivedAt != new.receivedAt {
            refuse(
                "receivedAt",
                "differs from the stored \(Timestamp.format(stored.receivedAt)); a receipt time never changes")
        }
        if stored.procedure != new.procedure { refuse("procedure", "differs from the stored \(stored.procedure)") }
        if stored.unit != new.unit { refuse("unit", "differs from the stored \(stored.unit)") }
        if stored.channel != new.channel { refuse("channel", "differs from the stored \(stored.channel.rawValue)") }
        // The source's appointment never changes; a date sipas counted follows the calendar's rules and files.
        if stored.dueDate != new.dueDate && stored.dueDateBasis == .given {
            refuse(
                "dueDate",
                "differs from the stored \(stored.dueDate); a new date goes with an apology slip, the original due date stays"
            )
        }
        if new.status.rank < stored.status.rank || stored.status == .withdrawn
            || (new.status == .withdrawn && stored.status.isResolved)
        {
            refuse("status", "cannot go from \(stored.status.rawValue) back to \(new.status.rawValue)")
        }
        if let resolved = stored.resolvedAt, new.resolvedAt != resolved {
            refuse(
                "resolvedAt", "differs from the stored \(Timestamp.format(resolved)); a resolution time never changes")
        }
        for (name, was, now) in [
            ("fullOnline", stored.fullOnline, new.fullOnline), ("paidOnline", stored.paidOnline, new.paidOnline),
            ("digitised", stored.digitised, new.digitised), ("apologyIssued", stored.apologyIssued, new.apologyIssued),
        ] where was && !now {
            refuse(name, "was true; it cannot be withdrawn")
        }
        guard problems.isEmpty else { return .failure(InvalidInput(problems)) }
        return .success(.updated(new))
    }
}
