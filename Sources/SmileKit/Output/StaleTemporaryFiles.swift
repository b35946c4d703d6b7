import Foundation

/// The temporary files `writeAtomically` writes (`.NAME.PID.tmp` beside `NAME`), and the removal of
/// those a killed run left behind.
///
/// A run killed between writing a temporary file and renaming it (kill -9, power loss) leaves the
/// file there. A later run writing into the same directory removes such files, but only files whose
/// name is exactly of this form and whose process is gone: a live run's file, or any other file, stays.
public enum StaleTemporaryFiles {
    /// The temporary file name for `name` written by process `pid`: `.NAME.PID.tmp`.
    public static func temporaryName(for name: String, pid: Int32) -> String { ".\(name).\(pid).tmp" }

    /// The target name and the process id encoded in a temporary file name, or nil when `fileName`
    /// is not exactly `.NAME.PID.tmp` (NAME not empty, PID a positive decimal process id).
    public static func parse(_ fileName: String) -> (name: String, pid: Int32)? {
        guard fileName.hasPrefix("."), fileName.hasSuffix(".tmp") else { return nil }
        let inner = fileName.dropFirst().dropLast(4)
        guard let dot = inner.lastIndex(of: "."), dot != inner.startIndex else { return nil }
        let digits = inner[inner.index(after: dot)...]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ ("0"..."9").contains($0) }),
              let pid = Int32(digits), pid > 0 else { return nil }
        return (String(inner[..<dot]), pid)
    }

    /// Whether process `pid` exists (a process of another user counts as existing).
    public static func isAlive(_ pid: Int32) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the stale temporary files in `directory` (and, when `recursive`, its subdirectories,
    /// not following symbolic links): regular files named `.NAME.PID.tmp` whose process is gone.
    /// Returns the files removed; a missing directory, or a file that cannot be removed, is passed over.
    @discardableResult
    public static func remove(in directory: URL, recursive: Bool = false) -> [URL] {
        candidates(in: directory, recursive: recursive).filter { url in
            guard let (_, pid) = parse(url.lastPathComponent), !isAlive(pid), isRegularFile(url) else { return false }
            return unlink(url.path) == 0
        }
    }

    /// Files of `directory` (and below it, when `recursive`) whose names look like temporary files.
    private static func candidates(in directory: URL, recursive: Bool) -> [URL] {
        guard recursive else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { parse($0) != nil }.map { directory.appendingPathComponent($0) }
        }
        guard let walk = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var found: [URL] = []
        while let relative = walk.nextObject() as? String {
            if parse((relative as NSString).lastPathComponent) != nil { found.append(directory.appendingPathComponent(relative)) }
        }
        return found
    }

    /// Whether `url` is a regular file itself (not a symbolic link, directory or other kind).
    private static func isRegularFile(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}

extension StaleTemporaryFiles {
    /// Removes stale temporary files from the output directories of a run, each once: `recursive`
    /// ones with their subdirectories, `flat` ones alone; each removal is noted on `console`.
    static func clean(recursive: [URL], flat: [URL], console: RunConsole) {
        var seen: Set<String> = []
        let jobs = recursive.map { ($0, true) } + flat.map { ($0, false) }
        for (directory, deep) in jobs where seen.insert(directory.standardizedFileURL.path).inserted {
            for file in remove(in: directory, recursive: deep) {
                console.note("removed \(file.path): a temporary file left by an earlier run that was killed")
            }
        }
    }
}
