/// Turns a `DecodingError` into a message that names the field, in the API's dotted form (`answers.a1`).
enum JSONProblem {
    /// The dotted path of the coding keys, with array positions in brackets.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// The field at fault (empty when the document itself is unreadable) and what was wrong with it.
    static func fieldAndMessage(_ error: DecodingError) -> (field: String, message: String) {
        switch error {
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "must be \(describe(type)), not null")
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }

    /// One line: `field: message`.
    static func describe(_ error: DecodingError) -> String {
        let (field, message) = fieldAndMessage(error)
        return field.isEmpty ? message : "\(field): \(message)"
    }

    private static func describe(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Int.Type { return "an integer" }
        if type is Bool.Type { return "true or false" }
        if type is Double.Type { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "an array" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "of type \(name)"
    }
}
