import Foundation
import SmileVision

/// `smile eval`: runs the model with and without face detection on labelled photos, side by side.
///
/// Inputs are labelled sets in any `LabelledSet` layout. Each photo is decoded
/// once and classified twice: **without detection** (`classifyWholeImage`,
/// the whole photo resized to the model input) and **with detection**
/// (the faces found, largest first; photos are read and searched one ahead on a
/// thread of their own, so a second core shortens the run). For an image-level label the largest
/// face decides; for per-face labels (`path,x,y,w,h,label`) detections are
/// matched one-to-one to the labelled boxes at IoU >= `minimumIoU`, each matched
/// face is scored with its own probability, and missed faces and false
/// detections are counted in `EvaluationResult.detection`. Without detection,
/// every labelled face of a photo gets the photo's one whole-image probability.
/// See `EvaluationResult` for how unfound faces count.
public struct EvaluationJob {
    /// Labelled sets: class-folder directories or CSV files.
    public var inputs: [String]
    /// Optional per-example CSV (see `csvHeader`).
    public var csvFile: URL?
    /// Most gallery items kept (the report embeds each as a JPEG).
    public var galleryLimit: Int
    /// IoU needed to match a detection to a labelled box.
    public var minimumIoU: Double
    /// Bootstrap replicates for the F1 and AUC intervals.
    public var bootstrapReplicates: Int
    /// Whether the time per photo counts the CPU time of the threads detecting and classifying
    /// (right with one compute thread, where the overlapping stages would inflate wall times on one
    /// core) rather than their wall time. See `StageTime`.
    public var timesOnThreadCPU = false
    /// Only the photos on this side of the fixed selection / test split (`PhotoSplit`); nil: all.
    public var photoSide: PhotoSplit?

    /// Creates a job.
    /// This run's part of the photos when an evaluation is spread over several runs (`Shard`).
    public var shard: Shard?

    public init(inputs: [String], csvFile: URL? = nil, galleryLimit: Int = 120,
                minimumIoU: Double = BoxMatcher.defaultMinimumIoU, bootstrapReplicates: Int = Bootstrap.defaultReplicates) {
        self.inputs = inputs
        self.csvFile = csvFile
        self.galleryLimit = galleryLimit
        self.minimumIoU = minimumIoU
        self.bootstrapReplicates = bootstrapReplicates
    }

    /// Columns of the per-example CSV; box and detection fields are empty when absent.
    public static let csvHeader = CSVFormat.row(["image", "label", "x", "y", "w", "h", "p_without_detection",
                                                 "face_found", "det_x", "det_y", "det_w", "det_h", "p_with_detection"])

    /// Evaluates every input, naming each bad one on `console` and going on with the rest.
    public func run(pipeline: SmilePipeline, console: RunConsole) throws -> EvaluationResult {
        try tally(pipeline: pipeline, console: console).result(replicates: bootstrapReplicates)
    }

    /// The raw outcome of evaluating every input (what `run` computes its figures from).
    public func tally(pipeline: SmilePipeline, console: RunConsole) throws -> EvaluationTally {
        var failures: [InputFailure] = []
        var examples: [LabelledImage] = []
        for input in inputs {
            do {
                let loaded = try LabelledSet.load(from: input)
                var chosen = photoSide.map { PhotoSplit.select(loaded, loadedFrom: input, side: $0) } ?? loaded
                // Photos are dealt to shards by their path as the labels file writes it.
                if let shard { chosen = chosen.filter { shard.contains(path: PhotoSplit.labelledPath(of: $0, loadedFrom: input)) } }
                examples += chosen
            } catch {
                let failure = InputFailure(loading: input, error: error)
                failures.append(failure)
                console.failed(failure)
            }
        }
        let manifestTable = shard == nil ? nil : csvFile.flatMap { OutputSafety.isDevicePath($0) ? nil : $0 }
        if let shard, let manifestTable { try ShardManifest(shard: shard, inputs: examples.count, complete: false).write(for: manifestTable) }
        let csv = try csvFile.map { try RowFile(url: $0, header: Self.csvHeader) }
        var tally = EvaluationTally(threshold: Double(pipeline.threshold), galleryLimit: galleryLimit)
        tally.failures = failures
        let photos = Self.groupedByPath(examples)
        // Photos are read and searched one ahead on a thread of their own (PhotoStages), in order.
        let stages = PhotoStages(items: photos.map { ImageInputs.Item(path: $0.path, relativeName: $0.path) }, skip: [],
                                 detector: pipeline.detector)
        defer { stages.finish() }
        while let photo = stages.next() {
            let group = photos[photo.index]
            console.progress("evaluating", done: photo.index, total: photos.count)
            guard case .detected(let image, let detected, let detectionTime) = photo.content else {
                if case .failed(let failure) = photo.content {
                    tally.failures.append(failure)
                    console.failed(failure)
                }
                continue
            }
            let whole = Double(pipeline.classifyWholeImage(image))
            let stopwatch = StageStopwatch()
            pipeline.recordDetection(detectionTime)
            let faces = pipeline.classify(detected, in: image)
            let classifyTime = stopwatch.elapsed
            tally.detectionSeconds += timesOnThreadCPU ? detectionTime.thread + classifyTime.thread : detectionTime.wall + classifyTime.wall
            tally.photos += 1
            let rows = tally.add(photo: group.path, image: image, examples: group.examples, whole: whole,
                                 faces: faces, minimumIoU: minimumIoU)
            try csv?.append(rows)
        }
        console.progress("evaluating", done: photos.count, total: photos.count)
        try csv?.close()
        if let shard, let manifestTable { try ShardManifest(shard: shard, inputs: examples.count, complete: true).write(for: manifestTable) }
        return tally
    }

    /// Examples grouped by photo, in order of first appearance, so each photo is decoded once.
    static func groupedByPath(_ examples: [LabelledImage]) -> [(path: String, examples: [LabelledImage])] {
        var order: [String] = [], groups: [String: [LabelledImage]] = [:]
        for e in examples {
            if groups[e.path] == nil { order.append(e.path) }
            groups[e.path, default: []].append(e)
        }
        return order.map { ($0, groups[$0]!) }
    }
}
