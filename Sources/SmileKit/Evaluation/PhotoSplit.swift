import Foundation

/// The fixed split of a labelled photo set into a side for choosing models and a side for testing them.
///
/// The split is by photo, so faces of one photo never sit on both sides, and by a hash of the
/// photo's path as the labels file writes it (relative to the labels file or class folder; FNV-1a,
/// as `DataSplit`), so it never depends on file order and adding photos does not move the others.
/// Half of the photos go to each side. Choose models, thresholds and settings on `selection`;
/// read `test` only to report them.
public enum PhotoSplit: String, CaseIterable, Sendable {
    /// Photos for choosing: models, thresholds, detector settings.
    case selection
    /// Photos for reporting only.
    case test

    /// The side of the photo at `relativePath`.
    public static func side(ofPhoto relativePath: String) -> PhotoSplit {
        DataSplit(validation: 0, test: 0.5).side(of: relativePath) == .test ? .test : .selection
    }

    /// The examples of `examples` (loaded from `input`, a labels CSV or a class-folder directory) on `side`.
    public static func select(_ examples: [LabelledImage], loadedFrom input: String, side: PhotoSplit) -> [LabelledImage] {
        // CSV rows are resolved to standardised paths, class-folder files under the folder as given.
        examples.filter { self.side(ofPhoto: labelledPath(of: $0, loadedFrom: input)) == side }
    }

    /// The path of `example` as its labels file writes it (relative to the labels file's folder or
    /// the class folder `input`): the same on every machine, whatever the data's mount point.
    static func labelledPath(of example: LabelledImage, loadedFrom input: String) -> String {
        let bases = [LabelledSet.baseDirectory(of: input), URL(fileURLWithPath: input).path]
        return bases.lazy.map { relativePath(example.path, to: $0) }.first { $0 != example.path } ?? example.path
    }

    /// `path` relative to the directory `base` (unchanged when it lies elsewhere).
    static func relativePath(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
