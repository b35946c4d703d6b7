import SmileVision

/// Finds faces in a photo or frame with a Haar cascade, at a bounded working resolution.
///
/// Large images are shrunk so their longer side is at most `maxWorkingSide` before detection
/// (Haar cost grows with pixel count and phone photos gain nothing from full resolution);
/// boxes are mapped back to the original image. Not thread-safe (the cascade is not).
public final class FaceDetector {
    /// Detection settings.
    public struct Settings: Sendable, Equatable {
        /// Cascade pyramid step; smaller finds more faces, slower.
        public var scaleFactor = 1.1
        /// Neighbouring raw detections needed to keep a box; larger means fewer false faces.
        public var minNeighbours = 5
        /// Smallest face side to look for, in pixels of the original image (0: the cascade's own 24 px).
        public var minFaceSize = 0
        /// Images with a longer side above this are downscaled for detection (0: never).
        public var maxWorkingSide = 1600
        public init() {}
    }

    /// The cascade in use.
    public let cascade: HaarCascade
    /// The settings in use.
    public var settings: Settings

    /// Loads the cascade at `cascadePath`.
    public init(cascadePath: String, settings: Settings = Settings()) throws {
        self.cascade = try HaarCascade(path: cascadePath)
        self.settings = settings
    }

    /// Face boxes in `image` coordinates, largest first.
    public func detect(in image: Image) throws -> [Rect] {
        var scale = 1.0
        var working = image.grayscale()
        let longer = max(image.width, image.height)
        if settings.maxWorkingSide > 0, longer > settings.maxWorkingSide {
            scale = Double(settings.maxWorkingSide) / Double(longer)
            working = working.resized(width: max(1, Int(Double(image.width) * scale)), height: max(1, Int(Double(image.height) * scale)))
        }
        var parameters = HaarCascade.Parameters()
        parameters.scaleFactor = settings.scaleFactor
        parameters.minNeighbours = settings.minNeighbours
        parameters.minSize = Int((Double(settings.minFaceSize) * scale).rounded())
        let boxes = try cascade.detect(in: working, parameters: parameters).map { detection -> Rect in
            guard scale != 1 else { return detection.rect }
            let r = detection.rect
            return Rect(x: Int(Double(r.x) / scale), y: Int(Double(r.y) / scale),
                        width: Int(Double(r.width) / scale), height: Int(Double(r.height) / scale))
        }
        return boxes.sorted { $0.area > $1.area }
    }
}
