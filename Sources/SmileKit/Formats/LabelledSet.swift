import Foundation
import SmileVision

/// A labelled photo (or one face in a group photo) for evaluation.
public struct LabelledImage: Hashable, Sendable, Codable {
    /// Absolute (or as-given absolute) path to the image file.
    public var path: String
    /// 1 = smiling, 0 = not smiling.
    public var label: Int
    /// The face's box in the photo, for per-face CSVs; nil for whole-image labels.
    public var box: Rect?

    /// Creates a labelled image.
    public init(path: String, label: Int, box: Rect? = nil) {
        self.path = path
        self.label = label
        self.box = box
    }
}

/// Errors loading a labelled set; each names the file and, for bad rows, the line.
public typealias LabelledSetError = CSVFileError

/// Loads labelled photos from a class-folder directory or a CSV file.
///
/// Layouts:
/// - **Class folders**: a directory whose subfolders name the class,
///   case-insensitively: `0`/`1`, `no_smile`/`smile`, `not_smiling`/`smiling`.
///   Other subfolders are ignored. Images (`ImageInputs.imageExtensions`,
///   any case) are found recursively, hidden files skipped. The
///   result is ordered by label, then folder name, then path in natural order.
/// - **CSV `path,label`**: one image per row.
/// - **CSV `path,x,y,w,h,label`**: one face per row, for group photos.
///
/// CSVs are RFC 4180 (quoted fields may hold commas, quotes, newlines); the
/// layout is chosen by the first row's column count. A header is optional:
/// the first row is a header when its label field (the last) is not an
/// integer. Blank lines are skipped. Relative paths are resolved against the
/// CSV's directory. Labels must be 0 or 1; x, y, w, h integers with w, h > 0.
/// Image files are not checked for existence here.
public enum LabelledSet {

    /// Loads from a directory (class folders) or a `.csv` file.
    public static func load(from path: String) throws -> [LabelledImage] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LabelledSetError(file: path, line: 0, reason: "no such file or directory")
        }
        let url = URL(fileURLWithPath: path)
        return isDirectory.boolValue ? try loadClassFolders(url) : try loadCSV(url)
    }

    /// The directory that relative paths of the set at `path` are resolved against: the CSV's
    /// directory, or the class-folder directory itself (standardised, as loaded paths are).
    public static func baseDirectory(of path: String) -> String {
        var isDirectory: ObjCBool = false
        let url = URL(fileURLWithPath: path)
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return (exists && isDirectory.boolValue ? url : url.deletingLastPathComponent()).standardizedFileURL.path
    }

    /// The label a class-folder name stands for, or nil for other names.
    public static func label(forFolderName name: String) -> Int? {
        switch name.lowercased() {
        case "1", "smile", "smiling": return 1
        case "0", "no_smile", "not_smiling": return 0
        default: return nil
        }
    }

    /// Loads a directory of class folders.
    public static func loadClassFolders(_ directory: URL) throws -> [LabelledImage] {
        let fm = FileManager.default
        let children: [String]
        do {
            children = try fm.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw LabelledSetError(file: directory.path, line: 0, reason: "cannot list: \(error.localizedDescription)")
        }
        var classes: [(label: Int, name: String)] = []
        for name in children {
            var isDir: ObjCBool = false
            guard let label = label(forFolderName: name),
                  fm.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDir),
                  isDir.boolValue else { continue }
            classes.append((label, name))
        }
        guard !classes.isEmpty else {
            throw LabelledSetError(file: directory.path, line: 0,
                                   reason: "no class folders (expected 0/ and 1/, no_smile/ and smile/, or not_smiling/ and smiling/)")
        }
        classes.sort { ($0.label, $0.name) < ($1.label, $1.name) }
        var result: [LabelledImage] = []
        for c in classes {
            let folder = directory.appendingPathComponent(c.name)
            let files = imageFiles(under: folder)
            result += files.map { LabelledImage(path: $0, label: c.label) }
        }
        return result
    }

    /// Image files under `folder`, recursively, as absolute paths in natural order.
    static func imageFiles(under folder: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var relative: [String] = []
        while let item = e.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if (e.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { e.skipDescendants() }
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            guard ImageInputs.imageExtensions.contains(ext) else { continue }
            var isDir: ObjCBool = false
            let full = folder.appendingPathComponent(item).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                relative.append(item)
            }
        }
        return relative.naturallySorted().map { folder.appendingPathComponent($0).path }
    }

    /// Loads a `path,label` or `path,x,y,w,h,label` CSV.
    public static func loadCSV(_ url: URL) throws -> [LabelledImage] {
        let records = try CSVTable.read(contentsOf: url)
        let file = url.path
        guard let first = records.first else {
            throw LabelledSetError(file: file, line: 0, reason: "no rows")
        }
        let columns = first.fields.count
        guard columns == 2 || columns == 6 else {
            throw LabelledSetError(file: file, line: first.line,
                                   reason: "expected 2 columns (path,label) or 6 (path,x,y,w,h,label), found \(columns)")
        }
        let hasHeader = Int(first.fields[columns - 1].trimmingCharacters(in: .whitespaces)) == nil
        let base = url.deletingLastPathComponent()
        var result: [LabelledImage] = []
        for record in records.dropFirst(hasHeader ? 1 : 0) {
            result.append(try parseRow(record, columns: columns, base: base, file: file))
        }
        return result
    }

    private static func parseRow(_ record: CSVRecord, columns: Int, base: URL, file: String) throws -> LabelledImage {
        func fail(_ reason: String) -> LabelledSetError {
            LabelledSetError(file: file, line: record.line, reason: reason)
        }
        let f = record.fields
        guard f.count == columns else {
            throw fail("expected \(columns) columns, found \(f.count)")
        }
        let pathField = f[0]
        guard !pathField.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("empty path") }
        let labelText = f[columns - 1].trimmingCharacters(in: .whitespaces)
        guard labelText == "0" || labelText == "1" else {
            throw fail("label must be 0 or 1, found '\(labelText)'")
        }
        var box: Rect?
        if columns == 6 {
            var v: [Int] = []
            for (i, name) in ["x", "y", "w", "h"].enumerated() {
                let text = f[1 + i].trimmingCharacters(in: .whitespaces)
                guard let n = Int(text) else { throw fail("\(name) must be an integer, found '\(text)'") }
                v.append(n)
            }
            guard v[2] > 0, v[3] > 0 else { throw fail("box width and height must be positive") }
            box = Rect(x: v[0], y: v[1], width: v[2], height: v[3])
        }
        let path = pathField.hasPrefix("/") ? pathField
            : base.appendingPathComponent(pathField).standardizedFileURL.path
        return LabelledImage(path: path, label: labelText == "1" ? 1 : 0, box: box)
    }
}
