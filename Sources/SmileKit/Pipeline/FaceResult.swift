import SmileVision

/// One face found in an image, with the classifier's verdict: a `DetectedFace` plus p(smile), what
/// the tables write.
public struct FaceResult: Sendable, Equatable {
    /// The detector's box in image pixels.
    public var box: Rect
    /// The model's probability that the face is smiling.
    public var smileProbability: Float
    /// Whether `smileProbability` reached the decision threshold.
    public var isSmiling: Bool
    /// In-plane tilt of the face in degrees, counter-clockwise on screen positive; 0 for upright.
    public var angle: Double
    /// The detector's score (YuNet only; the Haar cascade gives none).
    public var detectorScore: Double?
    /// Right eye, left eye, nose tip, right and left mouth corner, in image pixels (YuNet only).
    public var landmarks: [DetectedFace.Point]?

    public init(box: Rect, smileProbability: Float, isSmiling: Bool, angle: Double = 0,
                detectorScore: Double? = nil, landmarks: [DetectedFace.Point]? = nil) {
        self.box = box
        self.smileProbability = smileProbability
        self.isSmiling = isSmiling
        self.angle = angle
        self.detectorScore = detectorScore
        self.landmarks = landmarks
    }
}
