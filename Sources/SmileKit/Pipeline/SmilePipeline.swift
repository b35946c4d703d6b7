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

    public init(detector: FaceDetector, model: SmileModel, threshold: Float? = nil) {
        self.detector = detector
        self.model = model
        self.threshold = threshold ?? model.metadata.threshold
    }

    /// Faces in `image`, largest first, each classified; all crops go through the network in one batch.
    public func analyse(_ image: Image) throws -> [FaceResult] {
        let boxes = try detector.detect(in: image)
        return classify(boxes, in: image)
    }

    /// Classifies the given face boxes of `image` in one batch.
    public func classify(_ boxes: [Rect], in image: Image) -> [FaceResult] {
        let crops = boxes.map { model.crop(image, around: $0) }
        let probabilities = model.smileProbabilities(crops)
        return zip(boxes, probabilities).map { FaceResult(box: $0, smileProbability: $1, isSmiling: $1 >= threshold) }
    }

    /// Classifies the whole image resized to the model input, with no detection (the study's baseline).
    public func classifyWholeImage(_ image: Image) -> Float {
        let (_, height, width) = model.metadata.inputShape
        return model.smileProbabilities([image.resized(width: width, height: height)])[0]
    }
}
