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

    /// Accumulates one photo at a time into scores, counts and gallery items.
    struct Tally {
        let threshold: Double
        let galleryLimit: Int
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

        init(threshold: Double, galleryLimit: Int) {
            self.threshold = threshold
            self.galleryLimit = galleryLimit
        }

        /// Scores the examples of one photo; returns its CSV rows.
        mutating func add(photo: String, image: Image, examples: [LabelledImage], whole: Double,
                          faces: [FaceResult], minimumIoU: Double) -> String {
            var rows = ""
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
                         mode: ModeName.withoutDetection)
                }
                if let face {
                    let p = Double(face.smileProbability)
                    found.append(ScoredLabel(label: example.label, probability: p))
                    all.append(ScoredLabel(label: example.label, probability: p))
                    if (p >= threshold) != (example.label == 1) {
                        keep(.detected, image: image, rect: face.box, p: p, example: example, source: source,
                             mode: ModeName.withDetectionFound)
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
            guard withErrors.count + unfound.count + wholeErrors.count < galleryLimit else { return }
            let jpeg = rect.map { GalleryCrop.jpeg(of: image, rect: $0) } ?? GalleryCrop.jpeg(of: image)
            let item = EvaluationReport.GalleryItem(jpeg: jpeg, probability: p, trueLabel: example.label,
                                                    source: source, mode: mode)
            switch kind {
            case .detected: withErrors.append(item)
            case .unfound: unfound.append(item)
            case .whole: wholeErrors.append(item)
            }
        }

        /// The figures of everything added.
        func result(photos: Int, failures: [InputFailure], replicates: Int, secondsPerPhoto: Double?) -> EvaluationResult {
            func mode(_ name: String, _ samples: [ScoredLabel]) -> ModeEvaluation {
                ModeEvaluation(name: name, samples: samples, threshold: threshold, bootstrapReplicates: replicates)
            }
            return EvaluationResult(
                withoutDetection: mode(ModeName.withoutDetection, without),
                withDetectionFound: mode(ModeName.withDetectionFound, found),
                withDetectionAll: mode(ModeName.withDetectionAll, all),
                examples: without.count, photos: photos, notFound: notFound, detection: detection,
                gallery: withErrors + unfound + wholeErrors, galleryTotal: galleryTotal,
                failures: failures, secondsPerPhotoWithDetection: secondsPerPhoto,
                photosWithSeveralFaces: photosWithSeveralFaces)
        }
    }
}
