/// What one request's responses were prepared against, for the group commit to confirm inside the transaction that
/// would store them: the device key that sent them (with the unit and desk they were filed under) and the units
/// revision their unit versions were resolved at.
///
/// The ingest routes find the device in a cache and the units in a snapshot, without reading the database per
/// request; the commit reads the truth once per group (``AppDatabase/changes(of:_:)``) and stores only the requests
/// whose premise still holds. So a key revoked a moment before the commit, even by another process, stores nothing.
struct CommitPremise: Sendable {
    /// What the commit found no longer true; nothing of the request was stored.
    enum Change: Sendable, Equatable {
        /// The key no longer belongs to an active device: revoked, replaced (rekey, enrollment) or awaiting
        /// enrollment. Answered 401, as an unknown key is.
        case keyRefused
        /// The device's unit or desk changed (`device`: the device as it is now), or the units were imported since
        /// (`units`), or both: the request is to be prepared again with what is true now.
        case outdated(device: Device?, units: Bool)
    }

    /// The device key that sent the responses; nil for a ticket's web form.
    let device: DeviceCredential?
    /// The units revision (`catalog_revision`) the responses' unit versions were resolved at.
    let unitRevision: Int
}
