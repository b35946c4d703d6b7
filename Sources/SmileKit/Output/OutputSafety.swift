import Foundation

/// Checks that a run's outputs cannot land on or among its inputs.
public enum OutputSafety {
    /// `path` with symlinks resolved, also when its last components do not exist yet.
    public static func resolvedPath(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = absolute, rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard let real = realpath(existing, nil) else { return absolute }
        defer { free(real) }
        return rest.reduce(String(cString: real)) { ($0 as NSString).appendingPathComponent($1) }
    }

    /// Throws when `output` (a directory written into) is one of the input directories or inside
    /// one, since its files would mix with (and on a later run be read as) inputs. `force` allows it.
    public static func checkOutputDirectory(_ output: URL, inputs: [String], option: String, force: Bool) throws {
        guard !force else { return }
        let out = resolvedPath(output.path)
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let directory = resolvedPath(input)
            if out == directory || out.hasPrefix(directory == "/" ? "/" : directory + "/") {
                throw OutputError(path: output.path, reason: "\(option) is \(out == directory ? "" : "inside ")the input directory \(input); choose another or pass --force")
            }
        }
    }

    /// Throws when the output file `output` is one of `inputFiles` (resolved paths): never allowed.
    /// Whether `url` names an existing device or pipe (`/dev/stdout`), written in place rather than through a temporary file.
    public static func isDevicePath(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFDIR
    }

    public static func checkOutputFile(_ output: URL, inputFiles: Set<String>, option: String) throws {
        if inputFiles.contains(resolvedPath(output.path)) {
            throw OutputError(path: output.path, reason: "\(option) would overwrite an input")
        }
    }
}
