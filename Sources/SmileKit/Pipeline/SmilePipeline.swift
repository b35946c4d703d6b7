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
        let started = DispatchTime.now()
        let faces = try detect(image)
        timings.detectSeconds += started.secondsElapsed
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
        let started = DispatchTime.now()
        let crops = images.flatMap { item in item.faces.map { model.crop(item.image, around: $0.box, angle: $0.angle) } }
        var probabilities = model.smileProbabilities(crops)[...]
        timings.classifySeconds += started.secondsElapsed
        timings.faces += crops.count
        return images.map { item in
            item.faces.map { face in
                let p = probabilities.removeFirst()
                return FaceResult(box: face.box, smileProbability: p, isSmiling: p >= threshold, angle: face.angle)
            }
        }
    }

    /// Counts one image whose faces another thread found in `seconds` (see `FrameStages`).
    public func recordDetection(seconds: Double) {
        timings.detectSeconds += seconds
        timings.images += 1
    }

    /// Classifies the whole image resized to the model input, with no detection (the study's baseline).
    public func classifyWholeImage(_ image: Image) -> Float {
        let (_, height, width) = model.metadata.inputShape
        return model.smileProbabilities([image.resized(width: width, height: height)])[0]
    }
}

/// Seconds spent detecting and classifying, and how many images and faces they covered.
public struct StageTimings: Sendable, Equatable {
    public var images = 0
    public var faces = 0
    public var detectSeconds = 0.0
    public var classifySeconds = 0.0

    /// "detect 61.2 ms, classify 4.1 ms per image (1.3 ms per face)".
    public var perImageSummary: String {
        guard images > 0 else { return "no images" }
        let perImage = { (seconds: Double) in String(format: "%.1f ms", seconds * 1000 / Double(self.images)) }
        let perFace = faces > 0 ? String(format: " (%.1f ms per face)", classifySeconds * 1000 / Double(faces)) : ""
        return "detect \(perImage(detectSeconds)), classify \(perImage(classifySeconds)) per image\(perFace)"
    }
}

extension DispatchTime {
    /// Seconds from this time until now.
    var secondsElapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - uptimeNanoseconds) / 1e9 }
}
