// MARK: - Validation of a survey file, run once at start-up

extension SurveyDefinition {
    /// The longest free comment the API accepts; a survey may ask for less, never more.
    public static let maximumCommentLength = 1_000

    /// Everything wrong with this definition; empty when it is usable.
    ///
    /// Checked: ids well formed and unique (elements, items, options), texts non-empty in both languages,
    /// a scale of at least two distinct values whose satisfied set is a proper, non-empty subset.
    public func problems() -> [DefinitionProblem] {
        var problems: [DefinitionProblem] = []
        func report(_ path: String, _ message: String) { problems.append(.init(path: path, message: message)) }
        func checkText(_ text: LocalizedText, _ path: String) {
            if text.vi.trimmed.isEmpty { report("\(path).vi", "must not be empty") }
            if text.en.trimmed.isEmpty { report("\(path).en", "must not be empty") }
        }
        func checkID(_ id: String, _ path: String) {
            if !Self.isWellFormedID(id) {
                report(
                    path,
                    "'\(id)' is not a valid id (1-32 letters, digits, '_' or '-', starting with a letter or digit)")
            }
        }
        func checkOptions(_ options: [SurveyOption], _ path: String) {
            if options.isEmpty { report(path, "must list at least one option") }
            var seen: Set<String> = []
            for (index, option) in options.enumerated() {
                checkID(option.id, "\(path)[\(index)].id")
                if !seen.insert(option.id).inserted {
                    report("\(path)[\(index)].id", "duplicate option id '\(option.id)'")
                }
                checkText(option.label, "\(path)[\(index)].label")
            }
        }

        checkID(id, "id")
        if version < 1 { report("version", "must be 1 or more, got \(version)") }
        checkText(title, "title")
        if let intro { checkText(intro, "intro") }

        // The scale.
        if scale.points.count < 2 { report("scale.points", "a scale needs at least two points") }
        var values: Set<Int> = []
        for (index, point) in scale.points.enumerated() {
            if !values.insert(point.value).inserted {
                report("scale.points[\(index)].value", "duplicate value \(point.value)")
            }
            checkText(point.label, "scale.points[\(index)].label")
        }
        if scale.satisfied.isEmpty { report("scale.satisfied", "must name at least one value") }
        if Set(scale.satisfied).count != scale.satisfied.count { report("scale.satisfied", "lists a value twice") }
        for value in scale.satisfied where !values.contains(value) {
            report("scale.satisfied", "\(value) is not a value of the scale")
        }
        if !values.isEmpty && values.isSubset(of: Set(scale.satisfied)) {
            report("scale.satisfied", "must leave at least one value not satisfied")
        }

        // Elements and items: item ids are unique across the whole survey, since answers name items only.
        if elements.isEmpty { report("elements", "a survey needs at least one element") }
        var elementIDs: Set<String> = []
        var itemIDs: Set<String> = []
        for (e, element) in elements.enumerated() {
            checkID(element.id, "elements[\(e)].id")
            if !elementIDs.insert(element.id).inserted {
                report("elements[\(e)].id", "duplicate element id '\(element.id)'")
            }
            checkText(element.title, "elements[\(e)].title")
            if element.items.isEmpty { report("elements[\(e)].items", "an element needs at least one item") }
            for (i, item) in element.items.enumerated() {
                checkID(item.id, "elements[\(e)].items[\(i)].id")
                if !itemIDs.insert(item.id).inserted {
                    report("elements[\(e)].items[\(i)].id", "duplicate item id '\(item.id)'")
                }
                checkText(item.text, "elements[\(e)].items[\(i)].text")
            }
        }

        if let expectations {
            checkText(expectations.text, "expectations.text")
            checkOptions(expectations.options, "expectations.options")
            if expectations.maxChoices < 1 || expectations.maxChoices > max(expectations.options.count, 1) {
                report(
                    "expectations.maxChoices",
                    "must be between 1 and the number of options (\(expectations.options.count))")
            }
        }
        if let comment {
            checkText(comment.text, "comment.text")
            if comment.maxLength < 1 || comment.maxLength > Self.maximumCommentLength {
                report("comment.maxLength", "must be between 1 and \(Self.maximumCommentLength)")
            }
        }
        if let respondent {
            var questionIDs: Set<String> = []
            for (q, question) in respondent.enumerated() {
                checkID(question.id, "respondent[\(q)].id")
                if !questionIDs.insert(question.id).inserted {
                    report("respondent[\(q)].id", "duplicate question id '\(question.id)'")
                }
                checkText(question.text, "respondent[\(q)].text")
                checkOptions(question.options, "respondent[\(q)].options")
            }
        }
        return problems
    }

    /// Ids appear in URLs, CSV headers and JSON keys, so they are kept plain.
    static func isWellFormedID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, (1...32).contains(id.unicodeScalars.count) else { return false }
        func plain(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
        }
        return plain(first) && id.unicodeScalars.allSatisfy { plain($0) || $0 == "_" || $0 == "-" }
    }
}

extension String {
    /// The string without leading and trailing white space (newlines included).
    public var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
