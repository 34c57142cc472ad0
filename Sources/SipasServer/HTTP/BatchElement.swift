import SipasDomain
/// One element of a batch body (responses, dossiers), decoded on its own so a malformed element never
/// blocks the others; its decoding problem names the field relative to the element (`answers.a1`, not
/// `responses[3].answers.a1`).
struct BatchElement<Value: Decodable & Sendable>: Decodable, Sendable {
    let result: Result<Value, InvalidInput>

    init(from decoder: any Decoder) throws {
        let depth = decoder.codingPath.count
        do {
            result = .success(try Value(from: decoder))
        } catch let error as DecodingError {
            let relative = JSONProblem.fieldAndMessage(Self.strip(error, depth: depth))
            let field = relative.field.isEmpty ? "body" : relative.field
            result = .failure(InvalidInput([FieldProblem(field: field, message: relative.message)]))
        }
    }

    private static func strip(_ error: DecodingError, depth: Int) -> DecodingError {
        func trim(_ context: DecodingError.Context) -> DecodingError.Context {
            .init(codingPath: Array(context.codingPath.dropFirst(depth)), debugDescription: context.debugDescription)
        }
        switch error {
        case .typeMismatch(let type, let context): return .typeMismatch(type, trim(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, trim(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, trim(context))
        case .dataCorrupted(let context): return .dataCorrupted(trim(context))
        @unknown default: return error
        }
    }
}
