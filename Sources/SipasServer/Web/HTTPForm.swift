import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` bodies and cookies, as the web pages exchange them.
enum HTTPForm {
    /// The fields of a form body, in order (a name may repeat, as checkboxes do).
    static func fields(of request: Request, limit: Int = 64 * 1024) async throws -> [(name: String, value: String)] {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
            .lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw Problem(
                status: .unsupportedMediaType, detail: "a form must be sent as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await RequestBody.collect(request, upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(status: .contentTooLarge, detail: "the form is larger than \(limit / 1024) KiB")
        }
        // Raw bytes that are not UTF-8 would otherwise become U+FFFD silently: what is stored must be what was sent.
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self),
            let fields = URLEncoding.formPairs(text)
        else {
            throw Problem(status: .badRequest, detail: "the form is not valid percent-encoded UTF-8")
        }
        return fields
    }

    /// The value of cookie `name`.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// A `Set-Cookie` value: always Secure, HttpOnly and SameSite=Strict. Secure holds behind a TLS proxy
    /// too (`--insecure-http`), since the browser speaks HTTPS to the proxy, and browsers accept it on localhost.
    static func setCookie(_ name: String, _ value: String, maxAge: Int? = nil, path: String = "/") -> String {
        var cookie = "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict; Secure"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        return cookie
    }
}
