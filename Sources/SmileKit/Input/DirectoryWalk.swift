import Foundation

/// Lists the files under a directory recursively, following directory symlinks safely.
///
/// Each real directory is entered once (tracked by its resolved path), so a symlink loop is
/// reported once as a failure and skipped instead of being walked forever; a directory that
/// cannot be listed is reported too. Hidden entries (names starting with ".") are skipped.
enum DirectoryWalk {
    /// Paths of regular files (or symlinks to them) under `root`, relative to it, in no particular order.
    static func files(under root: String) -> (relativePaths: [String], failures: [InputFailure]) {
        var files: [String] = [], failures: [InputFailure] = []
        var visited: Set<String> = []
        func walk(_ directory: String, relative: String) {
            guard let resolved = realpath(directory, nil) else {
                failures.append(InputFailure(path: directory, reason: "cannot resolve: \(String(cString: strerror(errno)))"))
                return
            }
            let real = String(cString: resolved)
            free(resolved)
            guard visited.insert(real).inserted else {
                failures.append(InputFailure(path: directory, reason: "directory symlink loop or repeat (\(real) was already searched); skipped"))
                return
            }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                failures.append(InputFailure(path: directory, reason: "cannot list the directory: \(error.localizedDescription)"))
                return
            }
            for name in names where !name.hasPrefix(".") {
                let path = (directory as NSString).appendingPathComponent(name)
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard stat(path, &info) == 0 else {
                    // A dangling symlink or a file that vanished: report it only if it looks like an image.
                    if ImageInputs.imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                        failures.append(InputFailure(path: path, reason: String(cString: strerror(errno))))
                    }
                    continue
                }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    walk(path, relative: childRelative)
                } else {
                    files.append(childRelative)
                }
            }
        }
        walk(root, relative: "")
        return (files, failures)
    }
}
