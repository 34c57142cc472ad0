/// A device as its bearer key named it: the device, the hash of the key it was found by, and whether that was read
/// from the database for this request or taken from ``DeviceKeys``' cache.
///
/// Only the ingest routes take a cached one (``PrincipalMiddleware/DeviceLookup/cachedUntilCommit``): the group
/// commit confirms it inside the transaction that would store its responses (``CommitPremise``), so a key revoked or
/// replaced meanwhile, even by another process, stores nothing and is answered 401 as an unknown key is.
struct DeviceCredential: Sendable, Hashable {
    /// The device as it was read (from the database now, or into the cache earlier).
    let device: Device
    /// The stored form of the key it was found by (``SecretKey/hash(_:)``).
    let keyHash: String
    /// Read from the database for this request; false when it came from the cache and no read has confirmed it.
    let isConfirmed: Bool
}
