import Foundation
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 description of the whole API, from `openapi.json` in the web
/// directory. A test keeps it and the router's routes equal, both ways.
struct OpenAPIController {
    let document: ByteBuffer

    /// Reads the document and checks that it is an OpenAPI 3.1 JSON object; anything else stops the start.
    static func load(webDirectory: String) throws -> OpenAPIController {
        let path = (webDirectory as NSString).appendingPathComponent("openapi.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): the API description is missing (it ships in Web/ with the templates)")
        }
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let version = object?["openapi"] as? String, version.hasPrefix("3.1") else {
            throw OperatorError("\(path): not an OpenAPI 3.1 JSON document")
        }
        return OpenAPIController(document: ByteBuffer(data: data))
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }
}
