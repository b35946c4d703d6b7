import Foundation

/// What `EvaluationJob` measured: both modes' figures, the faces it could not find, the gallery.
///
/// How photos without a detected face count: "with detection" has two
/// columns. `withDetectionFound` scores only examples whose face was found
/// (photos with a face for image-level labels, labelled boxes a detection
/// matched for per-face labels). `withDetectionAll` scores every example, and
/// one whose face was not found counts as wrong: it is scored with the wrong
/// extreme probability (0 for a smiling label, 1 for a not-smiling one), so it
/// is an error at every threshold and drags AUC down too. The unfound
/// examples are also listed in `notFound`.
public struct EvaluationResult: Sendable {
    /// The whole image resized to the model's input, no detection (the study's baseline).
    public var withoutDetection: ModeEvaluation
    /// Detection first; only examples whose face was found.
    public var withDetectionFound: ModeEvaluation
    /// Detection first; every example, a face not found counting as wrong.
    public var withDetectionAll: ModeEvaluation
    /// Labelled examples evaluated (photos for image-level labels, faces for per-face labels).
    public var examples: Int
    /// Photos decoded and processed.
    public var photos: Int
    /// Examples whose face was not found: photos with no detection, labelled boxes no detection matched.
    public var notFound: [LabelledImage]
    /// Detection figures against the labelled boxes; nil when no input had per-face boxes.
    public var detection: DetectionStatistics?
    /// Misclassified faces (and unfound ones), at most the job's gallery limit.
    public var gallery: [EvaluationReport.GalleryItem]
    /// How many items the gallery would hold without the limit.
    public var galleryTotal: Int
    /// Inputs that could not be read or decoded.
    public var failures: [InputFailure]
    /// Mean seconds per photo for detection plus classification of its faces.
    public var secondsPerPhotoWithDetection: Double?
    /// Photos labelled as a whole in which several faces were found: the largest one was scored,
    /// which may not be the labelled person.
    public var photosWithSeveralFaces = 0

    /// The three columns in display order.
    public var modes: [ModeEvaluation] { [withoutDetection, withDetectionFound, withDetectionAll] }

    /// Lines explaining the counts, for the text table and the report.
    public var notes: [String] {
        var lines = ["\(examples) labelled examples in \(photos) photos; face not found for \(notFound.count) "
            + "(excluded from \"\(withDetectionFound.name)\", counted as wrong in \"\(withDetectionAll.name)\")."]
        if let secondsPerPhotoWithDetection {
            lines.append(String(format: "Detection + classification: %.3f s per photo.", secondsPerPhotoWithDetection))
        }
        if photosWithSeveralFaces > 0 {
            lines.append("\(photosWithSeveralFaces) photos labelled as a whole had several faces found, and the largest decided "
                + "\"with detection\": if other people are in them, label each face instead (path,x,y,w,h,label, as the "
                + "faces.csv of `smile dataset composite`).")
        }
        if galleryTotal > gallery.count {
            lines.append("Gallery shows \(gallery.count) of \(galleryTotal) misclassified or unfound faces.")
        }
        return lines
    }
}
