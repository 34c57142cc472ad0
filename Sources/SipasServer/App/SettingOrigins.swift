import Configuration
import Synchronization

/// Which source gave each setting read, and whether its value had the setting's type. swift-configuration's readers
/// answer a value or nothing, a value of the wrong type included (`SIPAS_PORT=https` reads as no port); which provider
/// answered, or refused the type, is told only to an access reporter, so sipas keeps one to name it in a refusal.
final class SettingOrigins: AccessReporter {
    /// A source that answered for a key.
    struct Origin: Sendable, Equatable {
        /// The source.
        let source: SettingSource
        /// Its value was not of the setting's type.
        let refused: Bool
    }

    /// The sources by provider name (the two environment providers share one).
    private let sources: [String: SettingSource]
    /// The latest answer for each key read, by dotted key.
    private let origins = Mutex<[String: Origin]>([:])

    init(sources: [String: SettingSource]) {
        self.sources = sources
    }

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        // The providers in order of precedence: the first that threw (a value it could not read as the type) or gave a
        // value answered; a conversion after it (a log level's name) can refuse that value too.
        var origin: Origin?
        search: for result in event.providerResults {
            guard let source = sources[result.providerName] else { continue }
            switch result.result {
            case .failure: origin = Origin(source: source, refused: true)
            case .success(let lookup) where lookup.value != nil:
                origin = Origin(source: source, refused: event.conversionError != nil)
            case .success: continue search
            }
            break search
        }
        origins.withLock { $0[key] = origin }
    }

    /// Where the latest read of `key` came from; nil when no source gives it.
    func origin(of key: String) -> Origin? { origins.withLock { $0[key] } }
}
