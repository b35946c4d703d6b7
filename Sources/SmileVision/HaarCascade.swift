import CCVShim

/// An OpenCV Haar cascade classifier loaded from an XML file.
///
/// One instance is NOT thread-safe: OpenCV's classifier keeps scratch state,
/// so give each thread its own `HaarCascade` (loading one takes a few ms).
public final class HaarCascade: @unchecked Sendable {
    /// Options of `detect`, mirroring OpenCV's detectMultiScale.
    public struct Parameters: Sendable {
        /// Scale step between pyramid levels (> 1).
        public var scaleFactor = 1.1
        /// Raw windows a box needs to be kept.
        public var minNeighbours = 5
        /// Smallest box side in pixels (0: no limit).
        public var minSize = 0
        /// Largest box side in pixels (0: no limit).
        public var maxSize = 0
        /// Histogram-equalise the gray image before detecting.
        public var equalize = true
        /// Report level weights (detectMultiScale3 with outputRejectLevels); OpenCV then
        /// keeps more, weaker boxes and reports no neighbour counts.
        public var levelWeights = false

        /// The defaults: 1.1, 5 neighbours, no size limits, equalised, no weights.
        public init() {}
    }

    /// Who scans the image pyramid for a cascade's raw windows; all three give the same boxes.
    public enum ScanEngine: String, CaseIterable, Sendable {
        /// OpenCV's CascadeClassifier.
        case opencv
        /// Our scan (haar_scan.cpp): the same windows, stage 0 eight windows at a time with AVX2.
        case smile
        /// Our scan as a plain loop, one window after another (the reference in tests).
        case smileScalar = "smile-scalar"
        /// Our scan as a CPU without AVX2 runs it (the fast layouts, the scalar kernel).
        case smilePortable = "smile-portable"
    }

    /// The file the cascade was loaded from.
    public let path: String
    let handle: OpaquePointer

    /// Loads a cascade; throws `.cascade` when the file is missing or not a valid cascade.
    public init(path: String) throws {
        var h: OpaquePointer?
        try check(cvs_cascade_open(path, &h))
        guard let h else { throw VisionError(kind: .internalError, message: "\(path): cascade handle missing") }
        self.path = path
        self.handle = h
    }

    deinit { cvs_cascade_close(handle) }

    /// The engine that scans for this cascade: `.smile` when our scan reads the cascade
    /// (upright, stump-based Haar ones such as the frontal face cascade), else `.opencv`.
    public var scanEngine: ScanEngine {
        switch cvs_cascade_engine(handle) {
        case Int32(CVS_HAAR_SMILE): return .smile
        case Int32(CVS_HAAR_SMILE_SCALAR): return .smileScalar
        case Int32(CVS_HAAR_SMILE_PORTABLE): return .smilePortable
        default: return .opencv
        }
    }

    /// Chooses who scans; throws `.invalidArgument` when our scan cannot read this cascade.
    public func setScanEngine(_ engine: ScanEngine) throws {
        let code: Int32
        switch engine {
        case .opencv: code = Int32(CVS_HAAR_OPENCV)
        case .smile: code = Int32(CVS_HAAR_SMILE)
        case .smileScalar: code = Int32(CVS_HAAR_SMILE_SCALAR)
        case .smilePortable: code = Int32(CVS_HAAR_SMILE_PORTABLE)
        }
        try check(cvs_cascade_set_engine(handle, code))
    }

    /// Finds objects in `image` (gray or BGR; converted to gray inside).
    public func detect(in image: Image, parameters: Parameters = .init()) throws -> [Detection] {
        let gray = image.channels == 1 ? image : image.grayscale()
        var out: UnsafeMutablePointer<cvs_detection>?
        var count: Int32 = 0
        try gray.pixels.withUnsafeBufferPointer { px in
            try check(cvs_cascade_detect(handle, px.baseAddress, Int32(gray.width), Int32(gray.height),
                                         parameters.scaleFactor, Int32(parameters.minNeighbours),
                                         Int32(parameters.minSize), Int32(parameters.maxSize),
                                         parameters.equalize ? 1 : 0, parameters.levelWeights ? 1 : 0,
                                         &out, &count))
        }
        return Self.detections(out, count)
    }

    /// The shim's detections as `Detection`s; frees them.
    static func detections(_ out: UnsafeMutablePointer<cvs_detection>?, _ count: Int32) -> [Detection] {
        defer { cvs_free(out) }
        guard let out else { return [] }
        return UnsafeBufferPointer(start: out, count: Int(count)).map { d in
            Detection(rect: Rect(x: Int(d.x), y: Int(d.y), width: Int(d.width), height: Int(d.height)),
                      neighbours: Int(d.neighbours), weight: d.weight)
        }
    }
}
