import Foundation
import SmileVision

/// `smile eval-detection`: face-detector recall and precision against ground-truth boxes, by face size.
///
/// Inputs are dlib imglab XML files (`.xml`) or per-face CSVs
/// (`path,x,y,w,h,label`; the label is ignored). Each photo is decoded once
/// and its detections matched to its boxes at IoU >= `minimumIoU`.
public struct DetectionEvaluationJob {
    /// XML or per-face CSV files.
    public var inputs: [String]
    /// IoU needed for a detection to count.
    public var minimumIoU: Double

    /// Creates a job.
    public init(inputs: [String], minimumIoU: Double = BoxMatcher.defaultMinimumIoU) {
        self.inputs = inputs
        self.minimumIoU = minimumIoU
    }

    /// What a run measured.
    public struct Result: Sendable {
        /// Counts overall and by face size.
        public var statistics: DetectionStatistics
        /// Mean detection time per photo in seconds; nil when no photo was processed.
        public var secondsPerImage: Double?
        /// Inputs or photos that could not be read.
        public var failures: [InputFailure]
    }

    /// The photos and boxes of one input file.
    public static func load(_ path: String) throws -> [DlibImageBoxes] {
        if path.lowercased().hasSuffix(".xml") {
            return try DlibXML.parse(contentsOf: URL(fileURLWithPath: path))
        }
        let rows = try LabelledSet.load(from: path)
        guard rows.allSatisfy({ $0.box != nil }) else {
            throw LabelledSetError(file: path, line: 0, reason: "needs face boxes: a dlib XML file or a path,x,y,w,h,label CSV")
        }
        return EvaluationJob.groupedByPath(rows).map { DlibImageBoxes(file: $0.path, boxes: $0.examples.compactMap(\.box)) }
    }

    /// Runs the detector on every photo, naming each bad input on `console`.
    public func run(detector: FaceDetector, console: RunConsole) -> Result {
        var failures: [InputFailure] = []
        var photos: [DlibImageBoxes] = []
        for input in inputs {
            do {
                photos += try Self.load(input)
            } catch {
                let failure = InputFailure(loading: input, error: error)
                failures.append(failure)
                console.failed(failure)
            }
        }
        var stats = DetectionStatistics()
        var seconds = 0.0
        for (index, photo) in photos.enumerated() {
            console.progress("detecting", done: index, total: photos.count)
            do {
                let image = try ImageCodec.decode(file: photo.file)
                let start = Date()
                let boxes = try detector.detect(in: image)
                seconds += Date().timeIntervalSince(start)
                stats.add(detections: boxes, truths: photo.boxes, minimumIoU: minimumIoU)
            } catch {
                let failure = InputFailure(path: photo.file, error: error)
                failures.append(failure)
                console.failed(failure)
            }
        }
        console.progress("detecting", done: photos.count, total: photos.count)
        return Result(statistics: stats, secondsPerImage: stats.images > 0 ? seconds / Double(stats.images) : nil,
                      failures: failures)
    }
}
