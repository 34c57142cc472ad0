import Foundation

/// Runs a program to its end, as the tests' one way to start a command (`sipas` itself, chromium's helpers,
/// `script/postgres`): posix_spawn and waitpid, its outputs into files. Not Foundation's `Process`, whose
/// `waitUntilExit` was seen to wait forever for a child that had exited, when many tests ran at once.
enum ChildProcess {
    /// What a finished program left.
    struct Finished: Sendable {
        /// Its exit status, or 128 plus the signal that ended it.
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `path` with `arguments` and waits for it; the standard output goes to `standardOutput` when given (and
    /// is then not read back).
    static func run(_ path: String, _ arguments: [String], standardOutput: String? = nil) throws -> Finished {
        let scratch = NSTemporaryDirectory() + "sipas-child-\(UUID().uuidString)"
        let outputPath = standardOutput ?? scratch + ".out"
        let errorsPath = scratch + ".err"
        defer {
            if standardOutput == nil { try? FileManager.default.removeItem(atPath: outputPath) }
            try? FileManager.default.removeItem(atPath: errorsPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        // posix_spawnp: a bare name (`chromium`) is looked up on PATH, as a shell would.
        let spawned = posix_spawnp(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw ChildProcessFailure("\(path) cannot be started: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw ChildProcessFailure("waiting for \(path) failed: errno \(errno)") }
        }
        let read = { (file: String) in (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        return Finished(
            status: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            output: standardOutput == nil ? read(outputPath) : "", errors: read(errorsPath))
    }
}

/// A program that could not be started or waited for.
struct ChildProcessFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
