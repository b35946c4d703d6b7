import SmileVision

/// One face box from a detection pass, with its tilt and how well it is supported: what either
/// detector hands the classifier (a Haar `Detection` or a YuNet face, mapped to the same framing).
public struct DetectedFace: Sendable, Equatable {
    /// Which cascade and image copy found a face.
    public enum Pass: String, Sendable, Equatable, CaseIterable {
        /// Frontal cascade on the image (the original detector).
        case frontal
        /// Frontal cascade on an enlarged copy, for small faces.
        case upsampled
        /// Frontal cascade on a rotated copy.
        case rotated
        /// Profile cascade on the image.
        case profile
        /// Profile cascade on the mirrored image (faces looking the other way).
        case profileMirrored
        /// YuNet, OpenCV's CNN face detector (`--detector yunet`).
        case yunet
    }

    /// The box in original image pixels; for a tilted face, the upright box with the face's centre and size.
    public var box: Rect
    /// In-plane tilt of the face in degrees, counter-clockwise on screen positive (the convention of
    /// `Image.rotationMatrix`); 0 for an upright face. Rotating the image by `-angle` makes the face upright.
    public var angle: Double
    /// Raw cascade windows merged into this box (OpenCV's neighbour count): the support NMS ranks by.
    public var neighbours: Int
    /// The pass that found it.
    public var pass: Pass
    /// The detector's confidence (YuNet's score, 0-1); nil for the Haar cascades, which give none.
    public var score: Double?
    /// Right eye, left eye, nose tip, right and left mouth corner in image pixels (YuNet only).
    public var landmarks: [Point]?

    public init(box: Rect, angle: Double = 0, neighbours: Int = 0, pass: Pass = .frontal, score: Double? = nil, landmarks: [Point]? = nil) {
        self.box = box
        self.angle = angle
        self.neighbours = neighbours
        self.pass = pass
        self.score = score
        self.landmarks = landmarks
    }

    /// A point in image pixels.
    public struct Point: Sendable, Equatable {
        public var x: Double, y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }
}
