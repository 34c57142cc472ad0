import Foundation
import Hummingbird

/// The one reading of what a client writes into a URL or a form. Every route takes its query, its path
/// parameters and its form fields from here, never from Hummingbird's `uri.queryParameters` or
/// `parameters.require`, which leave a `+` as a plus and the percent-encoding of path parameters in place.
///
/// - Query strings and form bodies are `application/x-www-form-urlencoded`: `+` is a space, then
///   percent-decoding as UTF-8 (Python's `requests` sends the desk "Một cửa 1" as `M%E1%BB%99t+c%E1%BB%ADa+1`).
/// - A path segment is percent-decoded only: there a `+` is a plus.
/// - Every name and value is then normalised to Unicode NFC. The database compares bytes, so a desk name typed
///   with decomposed accents (NFD, as some keyboards and macOS file names send it) would otherwise match nothing
///   and the figures would silently count 0 respondents.
enum URLEncoding {
    /// The name–value pairs of a query string or form body, in order (a name may repeat, as checkboxes do);
    /// a pair without `=` has an empty value. Nil when a part is not valid percent-encoded UTF-8.
    static func formPairs(_ text: some StringProtocol) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = formComponent(parts[0]), let value = parts.count > 1 ? formComponent(parts[1]) : "" else {
                return nil
            }
            pairs.append((name, value))
        }
        return pairs
    }

    /// One name or value of a query string or form: `+` is a space. Nil when not valid percent-encoded UTF-8.
    static func formComponent(_ text: some StringProtocol) -> String? {
        decoded(text.replacingOccurrences(of: "+", with: " "))
    }

    /// One path segment: percent-decoded, a `+` kept. Nil when not valid percent-encoded UTF-8.
    static func pathSegment(_ text: some StringProtocol) -> String? {
        decoded(String(text))
    }

    /// `text` encoded as one value of a query string, for the links the pages write.
    static func encodeFormComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// RFC 3986's unreserved characters: everything else is percent-encoded in a query value.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func decoded(_ text: String) -> String? {
        text.removingPercentEncoding?.precomposedStringWithCanonicalMapping
    }
}

// MARK: - Reading a request

extension Request {
    /// The query parameters, decoded by ``URLEncoding``, in order and with any repeated name kept (the endpoints'
    /// ``ParameterReader`` refuses a repeat). 400 when the query is not valid percent-encoded UTF-8 (rather than a
    /// filter silently matching nothing).
    func query() throws -> QueryParameters {
        guard let query = uri.query, !query.isEmpty else { return QueryParameters([]) }
        guard let pairs = URLEncoding.formPairs(query) else {
            throw Problem(status: .badRequest, detail: "the query string is not valid percent-encoded UTF-8")
        }
        return QueryParameters(pairs)
    }
}

extension AppRequestContext {
    /// The path parameter `name` (`:survey` in the route), decoded by ``URLEncoding``.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let value = URLEncoding.pathSegment(raw) else {
            throw Problem(status: .badRequest, detail: "the path segment '\(raw)' is not valid percent-encoded UTF-8")
        }
        return value
    }
}
