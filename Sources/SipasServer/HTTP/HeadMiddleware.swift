import Hummingbird

/// HEAD is answered as GET without the body (RFC 9110 §9.3.2): the same status and headers, `Content-Length`
/// included. Hummingbird's generated HEAD endpoints (the router's `.autoGenerateHeadEndpoints`) do it for every
/// GET route; this does it for every other answer to a HEAD (404, 405, a refusal), whose body NIO would refuse
/// to send after the head.
struct HeadMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let response = try await next(request, context)
        guard request.method == .head else { return response }
        // A streamed body has no length: say none, as on GET (`createHeadResponse()` would announce 0).
        guard response.body.contentLength != nil else {
            return Response(
                status: response.status, headers: response.headers,
                body: ResponseBody { writer in try await writer.finish(nil) })
        }
        return response.createHeadResponse()
    }
}
