import Foundation

/// FER2013's 48x48 web-search faces, labelled by the FER+ votes of ten annotators each.
///
/// The shared layout is `labels.csv` (`path,split,fer_class,sha1,...,happiness,...,smile`) beside
/// `train/` and `test/`. A face is a smile when more than half of its emotion votes are happiness
/// and not one when nobody voted happiness (the `smile` column); faces with mixed votes, too few
/// votes or a "not a face" vote have an empty `smile` and are left out, because a hard label for
/// them would be a guess either way. Many files are byte-identical copies (some across train and
/// test, some across classes), so faces are deduplicated by `sha1` before anything else: one face
/// per hash, and none where the copies disagree on the label. The hash is also the split group.
public enum FER2013 {
    /// What loading found, for the training log and the model's provenance.
    public struct LoadReport: Sendable, Equatable {
        /// Rows in `labels.csv`.
        public var rows = 0
        /// Rows without a smile label (mixed or missing votes).
        public var unlabelled = 0
        /// Labelled rows dropped as copies of a face already kept.
        public var duplicates = 0
        /// Labelled faces dropped because copies of them carry different labels.
        public var conflicting = 0
    }

    /// The labelled, deduplicated faces under `root` and what was dropped.
    public static func load(_ root: String) throws -> (faces: [LabelledFace], report: LoadReport) {
        let table = (root as NSString).appendingPathComponent("labels.csv")
        let rows = try DataSets.readTable(table, required: ["path", "sha1", "smile"])
        return try faces(fromRows: rows, root: root, table: table)
    }

    /// Faces from the rows of `labels.csv` (split out of `load` so tests can feed rows directly).
    static func faces(fromRows rows: [[String: String]], root: String, table: String) throws -> (faces: [LabelledFace], report: LoadReport) {
        var report = LoadReport(rows: rows.count)
        var kept: [String: LabelledFace] = [:]
        var order: [String] = []
        var conflicted = Set<String>()
        for (index, row) in rows.enumerated() {
            let value = row["smile"]!.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { report.unlabelled += 1; continue }
            let label = try DataSets.label(value, path: table, row: index + 1)
            let hash = row["sha1"]!.lowercased()
            guard !hash.isEmpty else { throw DataSets.LoadError(path: table, reason: "row \(index + 1): empty sha1") }
            let face = LabelledFace(path: (root as NSString).appendingPathComponent(row["path"]!), label: label,
                                    framing: .tightCrop, dataset: "fer2013", group: hash)
            if let first = kept[hash] {
                report.duplicates += 1
                if first.label != label { conflicted.insert(hash) }
            } else {
                kept[hash] = face
                order.append(hash)
            }
        }
        report.conflicting = conflicted.count
        return (order.filter { !conflicted.contains($0) }.map { kept[$0]! }, report)
    }
}
