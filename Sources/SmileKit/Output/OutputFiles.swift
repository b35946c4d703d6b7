import Foundation

/// A text table written row group by row group, each group flushed to disk as it completes.
///
/// A run killed at any moment leaves a file of whole rows (each group goes out in one write),
/// so it stays parseable and every completed input is kept. A write that fails part way (a full
/// disk) is cut back off, so the file still ends at a whole row. Every write, flush and the close
/// are checked; a failure names the file and the system's reason.
public final class RowFile {
    /// Where the rows go.
    public let url: URL
    /// The open file; -1 once closed.
    private var descriptor: Int32
    /// Bytes of whole rows written so far (regular files: where a failed write is cut back to).
    private var length: Int

    /// Whether the table is a regular file (flushed to disk after each write); a device or a pipe
    /// (`/dev/stdout`, `/dev/full`) is written to as it is.
    private let isRegularFile: Bool

    /// Creates (or truncates) the file at `url` and writes `header` first.
    ///
    /// The file is opened in place, never replaced by a rename, so a device or a pipe named as the
    /// output stays what it is (writing a temporary file and renaming it over `/dev/stdout` as root
    /// would replace the device with a regular file).
    public convenience init(url: URL, header: String) throws {
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: url.path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        self.init(url: url, descriptor: descriptor, length: 0)
        try append(header)
    }

    private init(url: URL, descriptor: Int32, length: Int) {
        self.url = url
        self.descriptor = descriptor
        self.length = length
        var info = stat()
        isRegularFile = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Opens the table at `url` to continue it: its complete rows are returned (header dropped)
    /// and new rows go after them. A missing or empty file is started afresh with `header`; a
    /// file with another header is refused; a trailing incomplete row (a write cut short by a
    /// full disk) is cut off.
    public static func resuming(url: URL, header: String) throws -> (file: RowFile, rows: [[String]]) {
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else {
            return (try RowFile(url: url, header: header), [])
        }
        guard let text = String(data: data, encoding: .utf8), text.hasPrefix(header) else {
            throw OutputError(path: url.path, reason: "cannot resume: the file does not start with the header \(header.trimmingCharacters(in: .newlines))")
        }
        let complete = completeRowsLength(text)
        let records: [CSVRecord]
        do { records = try CSVTable.read(string: String(decoding: data.prefix(complete), as: UTF8.self), sourceName: url.path) } catch {
            throw OutputError(path: url.path, reason: "cannot resume: \(error)")
        }
        let descriptor = open(url.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw OutputError(path: url.path, reason: "cannot open for appending: \(String(cString: strerror(errno)))")
        }
        let file = RowFile(url: url, descriptor: descriptor, length: complete)
        if file.isRegularFile {
            guard ftruncate(descriptor, off_t(complete)) == 0, lseek(descriptor, off_t(complete), SEEK_SET) == off_t(complete) else {
                throw OutputError(path: url.path, reason: "cannot open for appending: \(String(cString: strerror(errno)))")
            }
        }
        return (file, records.dropFirst().map(\.fields))
    }

    /// Bytes of `text` up to and including the last line break outside quotes.
    static func completeRowsLength(_ text: String) -> Int {
        var quoted = false, length = 0, offset = 0
        for byte in text.utf8 {
            offset += 1
            if byte == UInt8(ascii: "\"") { quoted.toggle() } else if byte == UInt8(ascii: "\n"), !quoted { length = offset }
        }
        return length
    }

    /// Appends `text` (whole rows) in one write and flushes it to disk. When the write or the
    /// flush fails, a regular file is cut back to its whole rows before the error is thrown.
    public func append(_ text: String) throws {
        guard !text.isEmpty else { return }
        guard descriptor >= 0 else { throw OutputError(path: url.path, reason: "write after close") }
        let bytes = Array(text.utf8)
        do {
            try writeFully(descriptor, bytes)
            if isRegularFile, fsync(descriptor) != 0 { throw POSIXFailure(code: errno) }
            length += bytes.count
        } catch let failure as POSIXFailure {
            if isRegularFile, ftruncate(descriptor, off_t(length)) == 0 { _ = lseek(descriptor, off_t(length), SEEK_SET) }
            throw OutputError(path: url.path, reason: "write failed: \(failure.reason)")
        }
    }

    /// Closes the file, reporting a failure (a close can report a write that failed late).
    public func close() throws {
        guard descriptor >= 0 else { return }
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw OutputError(path: url.path, reason: "close failed: \(String(cString: strerror(errno)))") }
    }

    deinit { if descriptor >= 0 { _ = Glibc.close(descriptor) } }
}

/// A failed system call's errno, with the system's words for it.
struct POSIXFailure: Error {
    let code: Int32
    var reason: String { String(cString: strerror(code)) }
}

/// Writes all of `bytes` to `descriptor`, going on after short writes and interrupted calls;
/// throws the system's reason for a failure.
func writeFully(_ descriptor: Int32, _ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(code: errno)
            }
            offset += written
        }
    }
}

/// An output that could not be written, naming the file and the reason.
public struct OutputError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Writes `data` to `url` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file and an old file survives a failed write.
///
/// The temporary file is `.NAME.PID.tmp`; one left by a killed run is removed by the next run
/// writing there (`StaleTemporaryFiles`).
public func writeAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    // A device or a pipe (`/dev/stdout`) is written to as it is: renaming over it would replace it.
    if OutputSafety.isDevicePath(url) {
        try writeAndClose([UInt8](data), to: url.path, flags: O_WRONLY | O_CLOEXEC, sync: false, named: url.path)
        return
    }
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
        throw OutputError(path: url.path, reason: "cannot create its folder: \(systemReason(error))")
    }
    let temporary = directory.appendingPathComponent(StaleTemporaryFiles.temporaryName(for: url.lastPathComponent, pid: getpid()))
    do {
        // Flushed before the rename, so a crash never leaves an empty or partial file under the name.
        try writeAndClose([UInt8](data), to: temporary.path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, sync: true, named: url.path)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw OutputError(path: url.path, reason: "rename failed: \(reason)")
    }
}

/// Opens `path`, writes `bytes`, flushes them to disk when `sync`, and closes it, checking each
/// step; a failure is reported under the name `named` (the file the user asked for).
private func writeAndClose(_ bytes: [UInt8], to path: String, flags: Int32, sync: Bool, named: String) throws {
    let descriptor = open(path, flags, 0o644)
    guard descriptor >= 0 else { throw OutputError(path: named, reason: "cannot create the file: \(String(cString: strerror(errno)))") }
    do {
        try writeFully(descriptor, bytes)
        if sync, fsync(descriptor) != 0 { throw POSIXFailure(code: errno) }
    } catch let failure as POSIXFailure {
        _ = close(descriptor)
        throw OutputError(path: named, reason: "write failed: \(failure.reason)")
    }
    if close(descriptor) != 0 { throw OutputError(path: named, reason: "close failed: \(String(cString: strerror(errno)))") }
}

/// The operating system's words for why `error` happened (strerror of its POSIX code, where it has one).
func systemReason(_ error: Error) -> String {
    let nsError = error as NSError
    for candidate in [nsError, nsError.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(candidate.code)))
    }
    return nsError.localizedDescription
}
