import Foundation

/// Finds Haar cascade XML files on disk.
public enum CascadeLocator {
    /// OpenCV's default frontal face cascade.
    public static let frontalFace = "haarcascade_frontalface_default.xml"
    /// OpenCV's profile (left-facing) face cascade.
    public static let profileFace = "haarcascade_profileface.xml"
    /// OpenCV's eye cascade.
    public static let eye = "haarcascade_eye.xml"

    /// System folders searched last, in order.
    public static let systemDirectories = [
        "/usr/share/opencv4/haarcascades", "/usr/local/share/opencv4/haarcascades",
        "/usr/share/opencv/haarcascades", "/usr/local/share/opencv/haarcascades",
    ]

    /// Finds a cascade file: explicit path, then env var SMILE_CASCADE_DIR, then `cascades/` of the project
    /// (relative to the current directory, then beside the executable: `InstallLayout`), then the
    /// system folders in `systemDirectories`; the error lists every place tried.
    ///
    /// An explicit path that does not exist is an error (no fallback), so a typo is not silently ignored.
    public static func locate(_ name: String, explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let fm = FileManager.default
        func isFile(_ p: String) -> Bool {
            var dir: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &dir) && !dir.boolValue
        }
        if let explicit, !explicit.isEmpty {
            if isFile(explicit) { return explicit }
            let inside = (explicit as NSString).appendingPathComponent(name)
            if isFile(inside) { return inside }
            throw VisionError(kind: .cascade, message: "cascade \(name): not found at the given path \(explicit)")
        }
        let candidates = searchPaths(for: name, environment: environment)
        for p in candidates where isFile(p) { return p }
        throw VisionError(kind: .cascade, message: "cascade \(name) not found; looked in:\n  "
                          + candidates.joined(separator: "\n  ")
                          + "\n(install Debian's opencv-data, set SMILE_CASCADE_DIR, or pass the path)")
    }

    /// Every path `locate` tries for `name` without an explicit path, in order.
    public static func searchPaths(for name: String,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let env = environment["SMILE_CASCADE_DIR"], !env.isEmpty { dirs.append(env) }
        dirs.append(FileManager.default.currentDirectoryPath + "/cascades")
        dirs += InstallLayout.roots().map { ($0 as NSString).appendingPathComponent("cascades") }
        dirs += systemDirectories
        var seen = Set<String>()
        return dirs.map { ($0 as NSString).appendingPathComponent(name) }.filter { seen.insert($0).inserted }
    }
}
