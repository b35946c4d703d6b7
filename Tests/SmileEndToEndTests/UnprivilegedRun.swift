import Foundation
import XCTest

/// Running `smile` as the unprivileged user `nobody` (uid and gid 65534), for the checks that
/// root would pass anyway (root reads a `chmod 000` file).
enum UnprivilegedRun {
    /// The unprivileged user and group ids.
    static let uid: UInt32 = 65534, gid: UInt32 = 65534

    /// A command prefix that drops to `nobody`: util-linux's `setpriv`, else `runuser`; nil if neither exists.
    static var dropPrivileges: [String]? {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            return ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"]
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") { return ["/usr/sbin/runuser", "-u", "nobody", "--"] }
        return nil
    }

    /// Runs `executable` with `arguments` as `nobody`; returns (status, stdout, stderr).
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        guard let prefix = dropPrivileges else { throw XCTSkip("neither setpriv nor runuser is installed: cannot run as nobody") }
        return try EndToEnd.runProgram(URL(fileURLWithPath: prefix[0]), Array(prefix.dropFirst()) + [executable.path] + arguments)
    }

    /// Whether `nobody` can run `executable` (every directory above it searchable, the file executable).
    static func canExecute(_ executable: URL) throws -> Bool {
        try run(URL(fileURLWithPath: "/usr/bin/test"), ["-x", executable.path]).status == 0
    }

    /// The `smile` binary as `nobody` can run it: the built one, or when the build directory is not
    /// open to other users, a copy in `directory` (which must be open to them).
    static func binary(copyingInto directory: URL) throws -> URL {
        if try canExecute(EndToEnd.binary) { return EndToEnd.binary }
        let copy = directory.appendingPathComponent("smile")
        try FileManager.default.copyItem(at: EndToEnd.binary, to: copy)
        chmod(copy.path, 0o755)
        guard try canExecute(copy) else { throw XCTSkip("nobody cannot run \(EndToEnd.binary.path) nor a copy of it in \(directory.path)") }
        return copy
    }
}
