/// One object found by a cascade: its box and how many raw windows support it. The pipeline turns
/// it into a `DetectedFace` (tilt, detector score, landmarks), then a `FaceResult` (with the verdict).
public struct Detection: Sendable {
    /// The box in image coordinates.
    public var rect: Rect
    /// How many raw windows were merged into this box (0 when not reported).
    public var neighbours: Int
    /// The cascade's level weight (confidence); 0 unless `Parameters.levelWeights` was set.
    public var weight: Double

    /// Creates a detection.
    public init(rect: Rect, neighbours: Int, weight: Double) {
        self.rect = rect
        self.neighbours = neighbours
        self.weight = weight
    }
}
