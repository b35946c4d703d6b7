import Dispatch
import SmileVision

/// Detects every face in an image and classifies each one: the tool's main job.
///
/// Not thread-safe: one pipeline per thread.
public final class SmilePipeline {
    /// The face detector.
    public let detector: FaceDetector
    /// The smile classifier.
    public let model: SmileModel
    /// p(smile) at or above which a face counts as smiling (defaults to the model's own).
    public var threshold: Float
    /// Time spent so far in each stage, for the end-of-run summary.
    public private(set) var timings = StageTimings()

    public init(detector: FaceDetector, model: SmileModel, threshold: Float? = nil) {
        self.detector = detector
        self.model = model
        self.threshold = threshold ?? model.metadata.threshold
    }

    /// Faces in `image`, largest first, each classified; all crops go through the network in one batch.
    public func analyse(_ image: Image) throws -> [FaceResult] {
        try analyse(image, detect: detector.detectFaces)
    }

    /// Faces that `detect` finds in `image` (timed as the detect stage), each classified, in one batch.
    public func analyse(_ image: Image, detect: (Image) throws -> [DetectedFace]) throws -> [FaceResult] {
        let stopwatch = StageStopwatch()
        let faces = try detect(image)
        timings.detect += stopwatch.elapsed
        timings.images += 1
        return classify(faces, in: image)
    }

    /// Classifies the given upright face boxes of `image` in one batch.
    public func classify(_ boxes: [Rect], in image: Image) -> [FaceResult] {
        classify(boxes.map { DetectedFace(box: $0) }, in: image)
    }

    /// Classifies the given faces of `image` in one batch; a tilted face's crop is turned upright
    /// first (rotated by -angle), so the classifier sees it as it saw faces in training.
    public func classify(_ faces: [DetectedFace], in image: Image) -> [FaceResult] {
        classify([(faces, image)])[0]
    }

    /// Classifies the faces of several images (e.g. consecutive frames) in one batch; results per image.
    public func classify(_ images: [(faces: [DetectedFace], image: Image)]) -> [[FaceResult]] {
        let stopwatch = StageStopwatch()
        let crops = images.flatMap { item in item.faces.map { model.crop(item.image, around: $0.box, angle: $0.angle) } }
        var probabilities = model.smileProbabilities(crops)[...]
        timings.classify += stopwatch.elapsed
        timings.faces += crops.count
        return images.map { item in
            item.faces.map { face in
                let p = probabilities.removeFirst()
                return FaceResult(box: face.box, smileProbability: p, isSmiling: p >= threshold, angle: face.angle,
                                  detectorScore: face.score, landmarks: face.landmarks)
            }
        }
    }

    /// Counts one image whose faces another thread found in `time` (see `PhotoStages`, `FrameStages`).
    public func recordDetection(_ time: StageTime) {
        timings.detect += time
        timings.images += 1
    }

    /// Classifies the whole image resized to the model input, with no detection (the study's baseline).
    public func classifyWholeImage(_ image: Image) -> Float {
        let (_, height, width) = model.metadata.inputShape
        return model.smileProbabilities([image.resized(width: width, height: height)])[0]
    }
}

/// Time spent detecting and classifying, and how many images and faces they covered.
public struct StageTimings: Sendable, Equatable {
    public var images = 0
    public var faces = 0
    public var detect = StageTime.zero
    public var classify = StageTime.zero

    /// "detect 61.2 ms, classify 4.1 ms per image (1.3 ms per face; CPU time of each stage's thread)".
    ///
    /// With `threadCPU` (right when each stage runs on one thread, `--threads 1`) the stages' thread
    /// CPU times, which stages overlapping on one core do not inflate; otherwise their wall times.
    public func perImageSummary(threadCPU: Bool) -> String {
        guard images > 0 else { return "no images" }
        let seconds = { (time: StageTime) in threadCPU ? time.thread : time.wall }
        let perImage = { (time: StageTime) in String(format: "%.1f ms", seconds(time) * 1000 / Double(self.images)) }
        let perFace = faces > 0 ? String(format: "%.1f ms per face; ", seconds(classify) * 1000 / Double(faces)) : ""
        let clock = threadCPU ? "CPU time of each stage's thread" : "wall time, stages overlapping"
        return "detect \(perImage(detect)), classify \(perImage(classify)) per image (\(perFace)\(clock))"
    }
}
