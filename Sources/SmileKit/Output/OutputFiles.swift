import Foundation

/// A text table written row group by row group, each group flushed to disk as it completes.
///
/// A run killed at any moment leaves a file of whole rows (each group goes out in one write),
/// so it stays parseable and every completed input is kept.
public final class RowFile {
    /// Where the rows go.
    public let url: URL
    private let handle: FileHandle

    /// Whether the table is a regular file (flushed to disk after each write); a device or a pipe
    /// (`/dev/stdout`, `/dev/full`) is written to as it is.
    private let isRegularFile: Bool

    /// Creates (or truncates) the file at `url` and writes `header` first.
    ///
    /// The file is opened in place, never replaced by a rename, so a device or a pipe named as the
    /// output stays what it is (writing a temporary file and renaming it over `/dev/stdout` as root
    /// would replace the device with a regular file).
    public init(url: URL, header: String) throws {
        self.url = url
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: url.path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        isRegularFile = Self.isRegular(descriptor)
        try append(header)
    }

    /// Whether the open file `descriptor` is a regular file.
    private static func isRegular(_ descriptor: Int32) -> Bool {
        var info = stat()
        return fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
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
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: UInt64(complete))
            try handle.seekToEnd()
        } catch {
            throw OutputError(path: url.path, reason: "cannot open for appending: \(error.localizedDescription)")
        }
        return (RowFile(url: url, handle: handle), records.dropFirst().map(\.fields))
    }

    private init(url: URL, handle: FileHandle) {
        self.url = url
        self.handle = handle
        self.isRegularFile = Self.isRegular(handle.fileDescriptor)
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

    /// Appends `text` (whole rows) in one write and flushes it to disk.
    public func append(_ text: String) throws {
        guard !text.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(text.utf8))
            if isRegularFile { try handle.synchronize() }
        } catch {
            throw OutputError(path: url.path, reason: "write failed: \(systemReason(error))")
        }
    }

    deinit { try? handle.close() }
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
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
        } catch {
            throw OutputError(path: url.path, reason: "write failed: \(systemReason(error))")
        }
        return
    }
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(StaleTemporaryFiles.temporaryName(for: url.lastPathComponent, pid: getpid()))
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OutputError(path: url.path, reason: "rename failed: \(reason)")
        }
    } catch let error as OutputError {
        throw error
    } catch {
        throw OutputError(path: url.path, reason: error.localizedDescription)
    }
}

/// The operating system's words for why `error` happened (strerror of its POSIX code, where it has one).
func systemReason(_ error: Error) -> String {
    let nsError = error as NSError
    for candidate in [nsError, nsError.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(candidate.code)))
    }
    return nsError.localizedDescription
}
