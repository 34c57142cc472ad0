import Foundation
import Hummingbird
import Mustache

/// The web pages' templates (`Web/templates/*.mustache`) and interface texts (`Web/strings.json`), read
/// and checked at start-up. Mustache escapes every `{{value}}`, so user text (comments, labels from
/// files) always shows as text.
struct WebPages: Sendable {
    let library: MustacheLibrary
    /// Language → key → text.
    let strings: [String: [String: String]]

    static func load(directory: String) async throws -> WebPages {
        let templates = (directory as NSString).appendingPathComponent("templates")
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: templates)
        } catch let error as MustacheLibrary.ParserError {
            throw OperatorError("\(templates)/\(error.filename): \(error.error)")
        }
        for name in [
            "survey", "thanks", "message", "signin", "device", "dashboard", "print", "admin-devices", "enroll", "tls",
        ] + chartTemplates where library.getTemplate(named: name) == nil {
            throw OperatorError("\(templates): the template \(name).mustache is missing")
        }
        let path = (directory as NSString).appendingPathComponent("strings.json")
        guard let data = FileManager.default.contents(atPath: path),
            let strings = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { throw OperatorError("\(path): cannot be read as {\"vi\": {…}, \"en\": {…}}") }
        guard let vi = strings["vi"], let en = strings["en"], Set(vi.keys) == Set(en.keys) else {
            throw OperatorError("\(path): \"vi\" and \"en\" must hold the same keys")
        }
        // A text filled in by the server ("Câu {number} «{text}»") must name the same values in both languages.
        for key in vi.keys.sorted() where placeholders(vi[key] ?? "") != placeholders(en[key] ?? "") {
            throw OperatorError("\(path): \(key): \"vi\" and \"en\" must hold the same {placeholders}")
        }
        return WebPages(library: library, strings: strings)
    }

    /// The `{name}` placeholders of a text.
    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The texts of a language (`vi` unless `en`).
    func texts(_ language: String) -> [String: String] {
        strings[language == "en" ? "en" : "vi"] ?? [:]
    }

    /// Renders a page as an HTML response.
    func page(
        _ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) -> Response {
        let html = library.render(context, withTemplate: template) ?? ""
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect after a form (303 See Other).
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        return Response(status: .seeOther, headers: fields)
    }
}
