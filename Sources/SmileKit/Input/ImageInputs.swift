import Foundation

/// Expands the paths a user gave into the image files to process.
public enum ImageInputs {
    /// File extensions treated as images (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "pgm", "ppm", "heic", "heif", "avif"]

    /// One image to process: its path and the name it goes by in outputs.
    public struct Item: Equatable, Sendable {
        /// The file to read.
        public var path: String
        /// The path relative to the directory it was found in (the file name for a file given directly).
        public var relativeName: String
    }

    /// Images under `paths`: files as given (any extension), directories searched recursively
    /// for image extensions in natural order (directory symlinks followed, loops reported once).
    /// Paths that do not exist, unlistable directories and symlink loops are returned as failures.
    public static func collect(_ paths: [String]) -> (items: [Item], failures: [InputFailure]) {
        let found = scan(paths)
        return (found.items, found.failures)
    }

    /// `collect`, and the files inside the directories that were left out as not images (by
    /// extension), so a run can say how many it skipped.
    public static func scan(_ paths: [String]) -> (items: [Item], failures: [InputFailure], skipped: [String]) {
        var items: [Item] = [], failures: [InputFailure] = [], skipped: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(InputFailure(path: path, reason: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                items.append(Item(path: path, relativeName: (path as NSString).lastPathComponent))
                continue
            }
            let (files, walkFailures) = DirectoryWalk.files(under: path)
            failures += walkFailures
            let isImage = { (file: String) in imageExtensions.contains((file as NSString).pathExtension.lowercased()) }
            let found = files.filter(isImage).map { Item(path: (path as NSString).appendingPathComponent($0), relativeName: $0) }
            items += found.sorted { NaturalSort.areInIncreasingOrder($0.relativeName, $1.relativeName) }
            skipped += files.filter { !isImage($0) && !($0 as NSString).lastPathComponent.hasPrefix(".") }
                .sorted { NaturalSort.areInIncreasingOrder($0, $1) }.map { (path as NSString).appendingPathComponent($0) }
        }
        return (items, failures, skipped)
    }
}

/// An input that could not be processed: the path and why.
public struct InputFailure: Error, Equatable, CustomStringConvertible, Sendable, Codable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }

    /// The failure of `path` for `error`, naming the file once: the decoder's messages already
    /// begin with the file, which is then left out of the reason.
    public init(path: String, error: Error) {
        let message = describe(error)
        let prefix = path + ": "
        self.init(path: path, reason: message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message)
    }
}
