import Synchronization

/// The device keys as last read (key hash → device), shared by every request, so the ingest routes find the device
/// posting without a read of the database per request.
///
/// A cached device is only ever trusted where a later check confirms it: the group commit reads the devices of its
/// group in its own transaction (``CommitPremise``), and an answer the ingest routes give without a commit reads the
/// device first (``confirm(_:)``). Every other route reads the key from the database on each request
/// (``PrincipalMiddleware/DeviceLookup/database``), which also refreshes the cache. A key found refused is forgotten.
final class DeviceKeys: Sendable {
    private let database: AppDatabase
    private let cache = Mutex<[String: Device]>([:])
    /// Most keys kept: far more than the active devices of one installation; past it the cache starts again empty,
    /// which costs one read per device.
    private let capacity: Int

    init(database: AppDatabase, capacity: Int = 50_000) {
        self.database = database
        self.capacity = max(1, capacity)
    }

    /// The active device holding the key `keyHash` is the hash of: from the cache when `cached` and it holds the key
    /// (unconfirmed), else read from the database (and the cache refreshed). Nil when no active device holds it.
    func device(keyHash: String, cached: Bool) async throws -> DeviceCredential? {
        if cached, let device = cache.withLock({ $0[keyHash] }) {
            return DeviceCredential(device: device, keyHash: keyHash, isConfirmed: false)
        }
        return try await read(keyHash)
    }

    /// The device of `credential` as the database now has it, and still holding its key; nil (and forgotten) when
    /// the key no longer belongs to an active device. A credential read for this request is returned as it is.
    func confirm(_ credential: DeviceCredential) async throws -> DeviceCredential? {
        guard !credential.isConfirmed else { return credential }
        return try await read(credential.keyHash)
    }

    /// Keeps `device` as the holder of the key `keyHash` is the hash of (what a commit found it to be now).
    func remember(_ device: Device, keyHash: String) {
        cache.withLock { entries in
            if entries.count >= capacity, entries[keyHash] == nil { entries.removeAll(keepingCapacity: true) }
            entries[keyHash] = device
        }
    }

    /// Forgets the key `keyHash` is the hash of, and any other key cached for the device `id` (a key replaced by
    /// a rekey or an enrollment, or a device revoked).
    func forget(keyHash: String, deviceID id: Int64) {
        cache.withLock { entries in
            entries[keyHash] = nil
            if entries.values.contains(where: { $0.id == id }) { entries = entries.filter { $0.value.id != id } }
        }
    }

    private func read(_ keyHash: String) async throws -> DeviceCredential? {
        guard let device = try await database.activeDevice(keyHash: keyHash) else {
            cache.withLock { _ = $0.removeValue(forKey: keyHash) }
            return nil
        }
        remember(device, keyHash: keyHash)
        return DeviceCredential(device: device, keyHash: keyHash, isConfirmed: true)
    }
}
