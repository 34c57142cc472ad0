import Hummingbird

/// The address put in links that other machines open (enrollment codes): the configured public URL, else the
/// address the admin's own browser used to reach the server, since the tablets in the same office can most
/// likely reach it the same way (a `127.0.0.1` of the listening address would reach nothing from a tablet).
enum LinkBase {
    /// - Parameters:
    ///   - publicURL: `--public-url`, when set.
    ///   - fallback: the address served, for a request without a usable `Host`.
    static func of(_ request: Request, publicURL: String?, fallback: String) -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        // Always https: sipas serves TLS itself or sits behind a proxy that does (`--insecure-http`), and the
        // device cookie a link leads to is Secure. The request's own scheme says only how the proxy spoke to us.
        guard let host = request.head.authority, isHost(host) else { return fallback }
        return "https://\(host)"
    }

    /// A host name, IPv4 or bracketed IPv6 address with an optional port, and nothing else: the header is the
    /// client's text, and it becomes part of a link shown on a page.
    static func isHost(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        return (1...255).contains(text.count) && text.allSatisfy(allowed.contains) && !text.hasPrefix(":")
            && !text.hasPrefix("-") && !text.hasPrefix(".")
    }
}
