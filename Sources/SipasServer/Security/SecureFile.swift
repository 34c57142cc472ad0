import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files whose permissions matter (private keys) so they never exist with looser permissions.
enum SecureFile {
    /// Writes `text` to a temporary file created with `mode`, then renames it over `path`.
    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, mode)
        guard descriptor >= 0 else {
            throw OperatorError("\(path): cannot be written (\(String(cString: strerror(errno))))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, mode)  // the process umask may have narrowed or the file existed
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw OperatorError("\(path): cannot be written")
        }
    }
}
