import Foundation

/// Where the tool's shipped files (models, cascades) are looked for beside the running executable.
///
/// A source checkout keeps them in `models/` and `cascades/` at its root, a few folders above
/// `.build/release/smile`; `make install PREFIX=P` puts the binary in `P/bin` and them in
/// `P/share/smile/`. So each folder from the executable's up to `/` is searched, and its
/// `share/smile/` too.
public enum InstallLayout {
    /// The running executable, symbolic links resolved (`/proc/self/exe`, which also holds when
    /// the tool was started through `PATH`), else the first command-line argument.
    public static var executable: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }

    /// The folders holding shipped files, nearest first: the executable's folder, its
    /// `share/smile/`, then the same for each parent up to `/`.
    public static func roots(executable: URL = executable) -> [String] {
        var roots: [String] = []
        var directory = executable.deletingLastPathComponent().standardizedFileURL
        while true {
            roots.append(directory.path)
            roots.append(directory.appendingPathComponent("share/smile").path)
            let parent = directory.deletingLastPathComponent().standardizedFileURL
            if parent.path == directory.path { break }
            directory = parent
        }
        return roots
    }
}
