import Foundation

/// Expands the paths a user gave into the image files to process.
public enum ImageInputs {
    /// File extensions treated as images (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "pgm", "ppm"]

    /// One image to process: its path and the name it goes by in outputs.
    public struct Item: Equatable, Sendable {
        /// The file to read.
        public var path: String
        /// The path relative to the directory it was found in (the file name for a file given directly).
        public var relativeName: String
    }

    /// Images under `paths`: files as given (any extension), directories searched recursively
    /// for image extensions in natural order. Paths that do not exist are returned as failures.
    public static func collect(_ paths: [String]) -> (items: [Item], failures: [InputFailure]) {
        var items: [Item] = [], failures: [InputFailure] = []
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
            let root = URL(fileURLWithPath: path)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else {
                failures.append(InputFailure(path: path, reason: "cannot list the directory"))
                continue
            }
            var found: [Item] = []
            let rootPath = root.standardizedFileURL.path
            for case let url as URL in walker where imageExtensions.contains(url.pathExtension.lowercased()) {
                let full = url.standardizedFileURL.path
                let relative = full.hasPrefix(rootPath + "/") ? String(full.dropFirst(rootPath.count + 1)) : url.lastPathComponent
                found.append(Item(path: (path as NSString).appendingPathComponent(relative), relativeName: relative))
            }
            items += found.sorted { NaturalSort.areInIncreasingOrder($0.relativeName, $1.relativeName) }
        }
        return (items, failures)
    }
}

/// An input that could not be processed: the path and why.
public struct InputFailure: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
