import Foundation
import SipasDomain

/// A survey definition read from a file, with its canonical form and digest.
struct SurveyFile: Sendable {
    let path: String
    let definition: SurveyDefinition
    /// Sorted-keys JSON of the decoded definition: formatting changes of the file do not count as changes.
    let canonicalJSON: String
    let digest: String
}

/// Reads and validates every `*.json` file of the surveys directory, once at start-up.
enum SurveyFiles {
    /// Every definition in `directory`; throws a ``OperatorError`` naming the file and the problem.
    static func load(from directory: String) throws -> [SurveyFile] {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            throw OperatorError("surveys directory \(directory): cannot be read (\(error.localizedDescription))")
        }
        if names.isEmpty { throw OperatorError("surveys directory \(directory): holds no survey file (*.json)") }

        var files: [SurveyFile] = []
        var seen: [String: String] = [:]
        for name in names {
            let path = url.appendingPathComponent(name).path
            let file = try load(path: path)
            let key = "\(file.definition.id) version \(file.definition.version)"
            if let other = seen[key] { throw OperatorError("\(path): survey \(key) is also defined in \(other)") }
            seen[key] = path
            files.append(file)
        }
        return files
    }

    /// One file, decoded and validated.
    static func load(path: String) throws -> SurveyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperatorError("\(path): cannot be read")
        }
        let definition: SurveyDefinition
        do {
            definition = try JSONDecoder().decode(SurveyDefinition.self, from: data)
        } catch let error as DecodingError {
            throw OperatorError("\(path): \(JSONProblem.describe(error))")
        } catch {
            throw OperatorError("\(path): \(error)")
        }
        let problems = definition.problems()
        if !problems.isEmpty {
            throw OperatorError("\(path): " + problems.map(\.description).joined(separator: "; "))
        }
        let canonical = try canonicalJSON(definition)
        return SurveyFile(
            path: path, definition: definition, canonicalJSON: canonical, digest: SHA256Hex.of(canonical))
    }

    static func canonicalJSON(_ definition: SurveyDefinition) throws -> String {
        // Its own encoder, not the API's (APIJSON): this text's digest is stored with each published version, and must
        // not change if the API's output choices ever do.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(definition), as: UTF8.self)
    }
}
