import Foundation
import SmileVision

extension EvaluationJob {
    /// Mode names shown in tables and the report.
    public enum ModeName {
        /// Whole image, no detection.
        public static let withoutDetection = "without detection"
        /// Detection, examples whose face was found.
        public static let withDetectionFound = "with detection (faces found)"
        /// Detection, every example; not found = wrong.
        public static let withDetectionAll = "with detection (all; not found = wrong)"
    }
}

/// The raw outcome of an evaluation, accumulated one photo at a time: every example's scores, the
/// detection counts, the gallery, the failures and the time.
///
/// It is what `smile eval --report` keeps in `evaluation.json` beside the report, so that the
/// evaluations of a run's shards can be joined (`merged(with:)`) into the report one run would
/// have written; the figures (`result`) are computed from it.
public struct EvaluationTally: Codable, Sendable {
    /// The model's decision threshold.
    public let threshold: Double
    /// Most gallery items kept.
    public let galleryLimit: Int
    var without: [ScoredLabel] = []
    var found: [ScoredLabel] = []
    var all: [ScoredLabel] = []
    var notFound: [LabelledImage] = []
    var detection: DetectionStatistics?
    var withErrors: [EvaluationReport.GalleryItem] = []
    var unfound: [EvaluationReport.GalleryItem] = []
    var wholeErrors: [EvaluationReport.GalleryItem] = []
    var galleryTotal = 0
    /// Photos with a photo-level label in which several faces were found (the largest decided).
    var photosWithSeveralFaces = 0
    /// Photos decoded and processed.
    var photos = 0
    /// The paths of the photos added, in order (a merge refuses a photo in two shards).
    var photoPaths: [String] = []
    /// Inputs that could not be read or decoded.
    var failures: [InputFailure] = []
    /// Seconds of detection and classification, summed over the photos processed.
    var detectionSeconds = 0.0

    /// An empty tally.
    public init(threshold: Double, galleryLimit: Int) {
        self.threshold = threshold
        self.galleryLimit = galleryLimit
    }

    /// Scores the examples of one photo; returns its CSV rows.
    mutating func add(photo: String, image: Image, examples: [LabelledImage], whole: Double,
                      faces: [FaceResult], minimumIoU: Double) -> String {
        var rows = ""
        photoPaths.append(photo)
        let source = (photo as NSString).lastPathComponent
        // Each example's detected face (nil: not found).
        var assigned: [FaceResult?] = examples.map { _ in nil }
        let boxed = examples.indices.filter { examples[$0].box != nil }
        if !boxed.isEmpty {
            var stats = detection ?? DetectionStatistics()
            let result = stats.add(detections: faces.map { $0.box },
                                   truths: boxed.map { examples[$0].box! }, minimumIoU: minimumIoU)
            detection = stats
            for m in result.matches { assigned[boxed[m.truth]] = faces[m.detection] }
        }
        for i in examples.indices where examples[i].box == nil { assigned[i] = faces.first }
        if faces.count > 1 && examples.contains(where: { $0.box == nil }) { photosWithSeveralFaces += 1 }
        for (example, face) in zip(examples, assigned) {
            without.append(ScoredLabel(label: example.label, probability: whole))
            if (whole >= threshold) != (example.label == 1) {
                keep(.whole, image: image, rect: nil, p: whole, example: example, source: source,
                     mode: EvaluationJob.ModeName.withoutDetection)
            }
            if let face {
                let p = Double(face.smileProbability)
                found.append(ScoredLabel(label: example.label, probability: p))
                all.append(ScoredLabel(label: example.label, probability: p))
                if (p >= threshold) != (example.label == 1) {
                    keep(.detected, image: image, rect: face.box, p: p, example: example, source: source,
                         mode: EvaluationJob.ModeName.withDetectionFound)
                }
            } else {
                notFound.append(example)
                all.append(ScoredLabel(label: example.label, probability: example.label == 1 ? 0 : 1))
                keep(.unfound, image: image, rect: example.box, p: whole, example: example,
                     source: source, mode: example.box == nil ? "no face found (p: whole image)" : "face not detected (p: whole image)")
            }
            let b = example.box, d = face?.box
            rows += CSVFormat.row([
                photo, String(example.label),
                b.map { String($0.x) } ?? "", b.map { String($0.y) } ?? "",
                b.map { String($0.width) } ?? "", b.map { String($0.height) } ?? "",
                String(format: "%.6f", whole), face == nil ? "0" : "1",
                d.map { String($0.x) } ?? "", d.map { String($0.y) } ?? "",
                d.map { String($0.width) } ?? "", d.map { String($0.height) } ?? "",
                face.map { String(format: "%.6f", $0.smileProbability) } ?? "",
            ])
        }
        return rows
    }

    /// Adds a gallery item (cropped to `rect`, or the whole photo) while under the limit; always counts it.
    private enum GalleryKind { case detected, unfound, whole }

    private mutating func keep(_ kind: GalleryKind, image: Image, rect: Rect?, p: Double,
                               example: LabelledImage, source: String, mode: String) {
        galleryTotal += 1
        guard galleryCount < galleryLimit else { return }
        let jpeg = rect.map { GalleryCrop.jpeg(of: image, rect: $0) } ?? GalleryCrop.jpeg(of: image)
        append(EvaluationReport.GalleryItem(jpeg: jpeg, probability: p, trueLabel: example.label, source: source, mode: mode), as: kind)
    }

    /// Gallery items kept.
    private var galleryCount: Int { withErrors.count + unfound.count + wholeErrors.count }

    private mutating func append(_ item: EvaluationReport.GalleryItem, as kind: GalleryKind) {
        switch kind {
        case .detected: withErrors.append(item)
        case .unfound: unfound.append(item)
        case .whole: wholeErrors.append(item)
        }
    }

    /// The figures of everything added, with bootstrap intervals of `replicates` replicates.
    public func result(replicates: Int = Bootstrap.defaultReplicates) -> EvaluationResult {
        let mode = { (name: String, samples: [ScoredLabel]) in
            ModeEvaluation(name: name, samples: samples, threshold: threshold, bootstrapReplicates: replicates)
        }
        return EvaluationResult(
            withoutDetection: mode(EvaluationJob.ModeName.withoutDetection, without),
            withDetectionFound: mode(EvaluationJob.ModeName.withDetectionFound, found),
            withDetectionAll: mode(EvaluationJob.ModeName.withDetectionAll, all),
            examples: without.count, photos: photos, notFound: notFound, detection: detection,
            gallery: withErrors + unfound + wholeErrors, galleryTotal: galleryTotal,
            failures: failures, secondsPerPhotoWithDetection: photos > 0 ? detectionSeconds / Double(photos) : nil,
            photosWithSeveralFaces: photosWithSeveralFaces)
    }

    /// Labelled examples added.
    public var examples: Int { without.count }

    /// This tally joined with `other`'s, as if one run had added the photos of both (used to merge
    /// shards): scores, counts, failures and time added up; the gallery keeps this tally's items
    /// first, up to the limit. Refuses tallies made at different thresholds.
    public func merged(with other: EvaluationTally) throws -> EvaluationTally {
        guard other.threshold == threshold else {
            throw ShardError("evaluations at different thresholds (\(threshold) and \(other.threshold)) cannot be merged")
        }
        var joined = self
        joined.without += other.without
        joined.found += other.found
        joined.all += other.all
        joined.notFound += other.notFound
        switch (detection, other.detection) {
        case (let a?, let b?): joined.detection = a.adding(b)
        case (nil, let b): joined.detection = b
        case (_, nil): break
        }
        for (kind, items) in [(GalleryKind.detected, other.withErrors), (.unfound, other.unfound), (.whole, other.wholeErrors)] {
            for item in items where joined.galleryCount < galleryLimit { joined.append(item, as: kind) }
        }
        joined.galleryTotal += other.galleryTotal
        joined.photosWithSeveralFaces += other.photosWithSeveralFaces
        joined.photos += other.photos
        joined.photoPaths += other.photoPaths
        joined.failures += other.failures
        joined.detectionSeconds += other.detectionSeconds
        return joined
    }
}
