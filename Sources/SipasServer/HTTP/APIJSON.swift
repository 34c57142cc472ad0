import Foundation
import Hummingbird

/// The one JSON encoder of the API: every reply a handler returns (through ``AppRequestContext/responseEncoder``) and
/// every problem (``Problem``) is written by it.
enum APIJSON {
    /// Sorted keys: the same value always gives the same bytes (a replayed acknowledgement is byte-identical).
    /// Slashes are written as they are (`/v1/tickets/…`), not as `\/`.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The same, indented for a person: the command line's `--format json` (`sipas report`).
    static let indented: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return encoder
    }()
}
