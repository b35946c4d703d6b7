import Foundation

/// Loaders for the face data set layouts the project trains and evaluates on.
public enum DataSets {
    /// A data set that could not be read: the file and why.
    public struct LoadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Class folders: images under `root/<positive>` are smiles, under `root/<negative>` are not.
    public static func classFolders(_ root: String, positive: String, negative: String, framing: LabelledFace.Framing,
                                    dataset: String, groupOf: (String) -> String = { $0 }) throws -> [LabelledFace] {
        var faces: [LabelledFace] = []
        for (folder, label) in [(negative, 0), (positive, 1)] {
            let directory = (root as NSString).appendingPathComponent(folder)
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                throw LoadError(path: directory, reason: "cannot list the class folder: \(error.localizedDescription)")
            }
            for name in names.sorted(by: NaturalSort.areInIncreasingOrder) where ImageInputs.imageExtensions.contains((name as NSString).pathExtension.lowercased()) {
                faces.append(LabelledFace(path: (directory as NSString).appendingPathComponent(name), label: label,
                                          framing: framing, dataset: dataset, group: groupOf(name)))
            }
        }
        return faces
    }

    /// Rows of a CSV file with a header, as dictionaries keyed by column name.
    static func readTable(_ path: String, required: [String]) throws -> [[String: String]] {
        let records = try CSVTable.read(contentsOf: URL(fileURLWithPath: path))
        guard let header = records.first?.fields else { throw LoadError(path: path, reason: "empty table") }
        for column in required where !header.contains(column) {
            throw LoadError(path: path, reason: "missing column '\(column)' (columns: \(header.joined(separator: ",")))")
        }
        return try records.dropFirst().map { record in
            guard record.fields.count == header.count else {
                throw LoadError(path: path, reason: "line \(record.line): \(record.fields.count) fields, expected \(header.count)")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, record.fields))
        }
    }

    /// A label column value: "0" or "1".
    static func label(_ value: String?, path: String, row: Int) throws -> Int {
        guard let value, let label = Int(value.trimmingCharacters(in: .whitespaces)), label == 0 || label == 1 else {
            throw LoadError(path: path, reason: "row \(row): label '\(value ?? "")' is not 0 or 1")
        }
        return label
    }

    /// GENKI-4K as laid out in the shared data: `labels.csv` (`file,smile,...`) and `files/`.
    public static func genki(_ root: String) throws -> [LabelledFace] {
        let table = (root as NSString).appendingPathComponent("labels.csv")
        return try readTable(table, required: ["file", "smile"]).enumerated().map { index, row in
            let file = row["file"]!
            return LabelledFace(path: (root as NSString).appendingPathComponent("files/" + file),
                                label: try label(row["smile"], path: table, row: index + 1),
                                framing: .wholeHead, dataset: "genki4k", group: file)
        }
    }

    /// muxspace facial_expressions: `labels.csv` (`file,emotion,smile`) and `images/`.
    /// Grouped by person (the LFW-style name before the number), so one person stays on one side.
    public static func muxspace(_ root: String) throws -> [LabelledFace] {
        let table = (root as NSString).appendingPathComponent("labels.csv")
        return try readTable(table, required: ["file", "smile"]).enumerated().map { index, row in
            let file = row["file"]!
            return LabelledFace(path: (root as NSString).appendingPathComponent("images/" + file),
                                label: try label(row["smile"], path: table, row: index + 1),
                                framing: .wholeHead, dataset: "muxspace", group: personName(file))
        }
    }

    /// SMILEsmileD: `smile/` and `no_smile/` folders of 64x64 tight crops.
    public static func smilesmiled(_ root: String) throws -> [LabelledFace] {
        try classFolders(root, positive: "smile", negative: "no_smile", framing: .tightCrop, dataset: "smilesmiled")
    }

    /// CK+ 48x48: `happy/` and `other/`, grouped by subject (the `S010` file prefix).
    public static func ckplus(_ root: String) throws -> [LabelledFace] {
        try classFolders(root, positive: "happy", negative: "other", framing: .tightCrop, dataset: "ckplus48") {
            String($0.prefix { $0 != "_" })
        }
    }

    /// The person in an LFW-style file name: `Aaron_Eckhart_0001.jpg` -> `Aaron_Eckhart`.
    static func personName(_ file: String) -> String {
        let stem = (file as NSString).deletingPathExtension
        guard let cut = stem.lastIndex(of: "_"), stem[stem.index(after: cut)...].allSatisfy(\.isNumber) else { return stem }
        return String(stem[..<cut])
    }
}
