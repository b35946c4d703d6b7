import Foundation

/// An exclusive lock on an output (a table or a folder of annotated copies) for a run's whole life.
///
/// `flock` on a hidden lock file beside a table (`.NAME.lock`) or inside a folder (`.smile.lock`:
/// beside it would write into its parent, which may be an input folder or not ours to write),
/// holding the locking process's id. The kernel releases the lock when the process ends, however it
/// ends, so a killed run leaves nothing stale: the file may stay, but it locks nothing. A second run
/// on the same output is refused at once, before it writes anything, with the first run's process
/// id. Devices and pipes (`/dev/stdout`) are not locked.
public final class OutputLock {
    /// The lock file.
    public let lockFile: URL
    private let descriptor: Int32

    /// Locks `output` (a file, or with `isDirectory` a folder, existing or not), or throws
    /// `OutputError` naming the other run's process id.
    public init(_ output: URL, isDirectory: Bool = false) throws {
        let directory = isDirectory ? output : output.deletingLastPathComponent()
        lockFile = directory.appendingPathComponent(isDirectory ? ".smile.lock" : ".\(output.lastPathComponent).lock")
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: output.path, reason: "cannot create its lock file \(lockFile.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &bytes, bytes.count, 0)
            close(descriptor)
            let other = count > 0 ? String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw OutputError(path: output.path, reason: busy
                ? "another smile run (process \(other)) is writing it; wait for it to end or choose another output"
                : "cannot lock \(lockFile.path): \(String(cString: strerror(errno)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
    }

    /// Locks each of `files` and `folders` that is not a device or a pipe.
    public static func lockAll(files: [URL], folders: [URL]) throws -> [OutputLock] {
        try files.filter { !OutputSafety.isDevicePath($0) }.map { try OutputLock($0) } + folders.map { try OutputLock($0, isDirectory: true) }
    }

    deinit { close(descriptor) }
}
