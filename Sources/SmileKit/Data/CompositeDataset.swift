import Foundation
import SmileVision

/// Builds a "real-world" labelled set by pasting labelled face photos into background photos at several scales.
///
/// Each face photo is pasted once per scale into a background chosen with a
/// seeded generator, at a seeded random position. `scale` is the pasted
/// photo's height as a fraction of the background's height; scale 1 writes the
/// face photo itself, unchanged, with no background. Output:
/// `out/0/` and `out/1/` (image-level labels, for class-folder evaluation) and
/// `out/faces.csv` (`path,x,y,w,h,label`, paths relative to `out/`) with the
/// face's box in the written image. The face box is the largest face the
/// detector finds in the unpasted face photo; for photos where it finds none,
/// the median relative box of the others stands in (counted in the summary),
/// so faces the detector misses are not silently left out of the set.
/// Backgrounds may hold faces of their own (unlabelled): with class folders
/// the "largest face decides" rule can pick one of them, which is the
/// real-world failure the study describes; the per-face CSV scores only the
/// pasted face and counts background faces as false detections.
public struct CompositeDataset {
    /// Face photos with image-level labels.
    public var faces: [LabelledImage]
    /// Background photo paths (unused when every scale is 1).
    public var backgrounds: [String]
    /// Scales, each in (0, 1].
    public var scales: [Double]
    /// Seed for background choice and placement.
    public var seed: UInt64
    /// Output directory.
    public var outputDirectory: URL

    /// Creates a builder.
    public init(faces: [LabelledImage], backgrounds: [String], scales: [Double], seed: UInt64 = 42, outputDirectory: URL) {
        precondition(scales.allSatisfy { $0 > 0 && $0 <= 1 }, "CompositeDataset: scales must be in (0, 1]")
        self.faces = faces
        self.backgrounds = backgrounds
        self.scales = scales
        self.seed = seed
        self.outputDirectory = outputDirectory
    }

    /// What a build wrote.
    public struct Summary: Equatable {
        /// Images written.
        public var written = 0
        /// Face photos where the detector found no face (the median box stood in).
        public var medianBoxes = 0
        /// Inputs that could not be read.
        public var failures: [InputFailure] = []
    }

    /// The split the training recipes use (`TrainingJob`'s default): 10% validation, 20% test, by group.
    public static let trainingSplit = DataSplit(validation: 0.1, test: 0.2)

    /// Face photos from a labelled set, or a GENKI-style folder (`labels.csv` + `files/`), optionally one split side only.
    ///
    /// The group of a photo is its file name, as `DataSets.genki` uses, so
    /// `side: .test` keeps exactly the photos training never saw.
    public static func loadFaces(_ path: String, side: DataSplit.Side?, split: DataSplit = trainingSplit) throws -> [LabelledImage] {
        let labels = (path as NSString).appendingPathComponent("labels.csv")
        let files = (path as NSString).appendingPathComponent("files")
        var faces: [LabelledImage]
        if FileManager.default.fileExists(atPath: labels), FileManager.default.fileExists(atPath: files) {
            faces = try DataSets.genki(path).map { LabelledImage(path: $0.path, label: $0.label) }
        } else {
            faces = try LabelledSet.load(from: path)
        }
        if let side { faces = faces.filter { split.side(of: ($0.path as NSString).lastPathComponent) == side } }
        return faces
    }

    /// Writes the set, naming each bad input on `console` and going on with the rest.
    public func run(detector: FaceDetector, console: RunConsole) throws -> Summary {
        var summary = Summary()
        let needsBackground = scales.contains { $0 < 1 }
        var backgroundImages: [(name: String, image: Image)] = []
        if needsBackground {
            for path in backgrounds {
                do { backgroundImages.append(((path as NSString).lastPathComponent, try ImageCodec.decode(file: path).bgr())) } catch {
                    let failure = InputFailure(path: path, error: error)
                    summary.failures.append(failure)
                    console.failed(failure)
                }
            }
            guard !backgroundImages.isEmpty else {
                throw InputFailure(path: backgrounds.first ?? "--backgrounds", reason: "no background photo could be read")
            }
        }
        // Decode faces and find each one's face box.
        var decoded: [(face: LabelledImage, image: Image, box: RelativeBox?)] = []
        for face in faces {
            do {
                let image = try ImageCodec.decode(file: face.path).bgr()
                let box = try detector.detect(in: image).first.map { RelativeBox($0, inWidth: image.width, height: image.height) }
                decoded.append((face, image, box))
            } catch {
                let failure = InputFailure(path: face.path, error: error)
                summary.failures.append(failure)
                console.failed(failure)
            }
        }
        let fallback = RelativeBox.median(decoded.compactMap(\.box)) ?? RelativeBox(x: 0.2, y: 0.2, width: 0.6, height: 0.6)
        var rng = SplitMix64(seed: seed)
        var rows = CSVFormat.row(["path", "x", "y", "w", "h", "label"])
        var used = Set<String>()
        for (index, entry) in decoded.enumerated() {
            console.progress("compositing", done: index, total: decoded.count)
            if entry.box == nil { summary.medianBoxes += 1 }
            let relative = entry.box ?? fallback
            let stem = ((entry.face.path as NSString).lastPathComponent as NSString).deletingPathExtension
            for scale in scales {
                let (image, placed) = scale >= 1 || backgroundImages.isEmpty
                    ? (entry.image, Rect(x: 0, y: 0, width: entry.image.width, height: entry.image.height))
                    : Self.paste(entry.image, into: backgroundImages[rng.index(below: backgroundImages.count)].image,
                                 scale: scale, rng: &rng)
                let box = relative.rect(width: placed.width, height: placed.height)
                var name = "\(entry.face.label)/\(stem)_s\(Self.scaleTag(scale)).jpg"
                var counter = 2
                while used.contains(name) { name = "\(entry.face.label)/\(stem)_s\(Self.scaleTag(scale))-\(counter).jpg"; counter += 1 }
                used.insert(name)
                try writeAtomically(Data(try ImageCodec.encode(image, as: .jpeg(quality: 92))),
                                    to: outputDirectory.appendingPathComponent(name))
                rows += CSVFormat.row([name, String(placed.x + box.x), String(placed.y + box.y),
                                       String(box.width), String(box.height), String(entry.face.label)])
                summary.written += 1
            }
        }
        console.progress("compositing", done: decoded.count, total: decoded.count)
        try writeAtomically(Data(rows.utf8), to: outputDirectory.appendingPathComponent("faces.csv"))
        return summary
    }

    /// `photo` resized to `scale` of `background`'s height and pasted at a random place; returns the image and where it went.
    static func paste(_ photo: Image, into background: Image, scale: Double,
                      rng: inout SplitMix64) -> (Image, Rect) {
        let h = max(8, min(background.height, Int((Double(background.height) * scale).rounded())))
        let w = max(8, min(background.width, Int((Double(h) * Double(photo.width) / Double(photo.height)).rounded())))
        let x = rng.index(below: background.width - w + 1), y = rng.index(below: background.height - h + 1)
        var canvas = background
        let placed = Rect(x: x, y: y, width: w, height: h)
        ZoomStudy.paste(photo.resized(width: w, height: h), into: &canvas, at: placed)
        return (canvas, placed)
    }

    /// `0.25` -> `025`, `1` -> `100`: the scale in hundredths for file names.
    static func scaleTag(_ scale: Double) -> String {
        String(format: "%03d", Int((scale * 100).rounded()))
    }
}
