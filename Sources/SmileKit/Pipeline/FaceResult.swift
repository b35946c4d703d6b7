import SmileVision

/// One face found in an image, with the classifier's verdict.
public struct FaceResult: Sendable, Equatable {
    /// The detector's box in image pixels.
    public var box: Rect
    /// The model's probability that the face is smiling.
    public var smileProbability: Float
    /// Whether `smileProbability` reached the decision threshold.
    public var isSmiling: Bool

    public init(box: Rect, smileProbability: Float, isSmiling: Bool) {
        self.box = box
        self.smileProbability = smileProbability
        self.isSmiling = isSmiling
    }
}
