import Hummingbird

extension Router where Context == AppRequestContext {
    /// The methods an answer may name in `Allow`, in the order it names them. A method outside this list is left
    /// to the router's 404.
    static var knownMethods: [HTTPRequest.Method] { [.get, .head, .post, .put, .delete, .patch, .options, .trace] }

    /// A known path asked with a method it does not answer gets 405 with `Allow` (RFC 9110 §15.5.6) instead of
    /// Hummingbird's 404, which tells a client with the right path and the wrong method that the path does not exist.
    ///
    /// Hummingbird 2 has no such option, so this adds, once every route is in, an endpoint for each other known method
    /// on each routed path, the way its `.autoGenerateHeadEndpoints` adds HEAD when the responder is built: the path
    /// is matched by the router itself (captures included) and the answer goes through every middleware, so it is
    /// problem+json like any error. A path no route has stays 404. HEAD is listed wherever GET is, since the router
    /// is built with `.autoGenerateHeadEndpoints`.
    func addMethodNotAllowedEndpoints() {
        var answered: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            answered[route.path.description, default: (route.path, [])].methods.insert(route.method)
        }
        for (path, methods) in answered.values {
            let allowed = Self.knownMethods.filter { methods.contains($0) || ($0 == .head && methods.contains(.get)) }
            for method in Self.knownMethods where !allowed.contains(method) {
                on(path, method: method) { request, _ -> Response in
                    throw Problem.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
                }
            }
        }
    }
}
