import CCVShim
import Crypto
import Foundation

/// OpenCV's YuNet face detector (`cv::FaceDetectorYN`): a small CNN that finds faces of about
/// 10 to 300 px and gives five landmarks for each.
///
/// The model file's SHA-256 is checked before OpenCV parses it, so a changed or truncated file is
/// refused with a clear error instead of reaching the ONNX parser. One instance is not thread-safe.
public final class YuNet: @unchecked Sendable {
    /// One face: its box, five landmarks and the detector's score (0-1), in image pixels.
    public struct Face: Sendable, Equatable {
        /// The box YuNet draws: taller than wide, from the brows to below the chin.
        public var x, y, width, height: Double
        /// Right eye, left eye, nose tip, right and left mouth corner (the person's right: the image's left).
        public var landmarks: [(x: Double, y: Double)]
        public var score: Double

        public init(x: Double, y: Double, width: Double, height: Double, landmarks: [(x: Double, y: Double)], score: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
            self.landmarks = landmarks
            self.score = score
        }

        public static func == (a: Face, b: Face) -> Bool {
            a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height && a.score == b.score
                && a.landmarks.map(\.x) == b.landmarks.map(\.x) && a.landmarks.map(\.y) == b.landmarks.map(\.y)
        }
    }

    /// The model file the project ships (OpenCV Zoo's 2022mar YuNet, the version OpenCV 4.6 reads).
    public static let modelFileName = "face_detection_yunet_2022mar.onnx"
    /// Its SHA-256, lower-case hex.
    public static let modelSHA256 = "50ef07f702a31741ca46a4c0d947773b64143b9362780237bf0d427d6c79bab7"

    /// The file the model was loaded from.
    public let path: String
    let handle: OpaquePointer

    /// Loads the model at `path` after checking that its SHA-256 is `expectedSHA256`.
    public init(path: String, expectedSHA256: String = YuNet.modelSHA256) throws {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VisionError(kind: .cascade, message: "\(path): cannot read the face detector model: \(Self.reason(error))")
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        guard digest == expectedSHA256.lowercased() else {
            throw VisionError(kind: .cascade, message: "\(path): not the expected YuNet model (\(bytes.count) bytes, SHA-256 \(digest); "
                              + "expected \(expectedSHA256)): the file is damaged, truncated or another version")
        }
        var h: OpaquePointer?
        try check(cvs_yunet_open(path, &h))
        guard let h else { throw VisionError(kind: .internalError, message: "\(path): detector handle missing") }
        self.path = path
        self.handle = h
    }

    deinit { cvs_yunet_close(handle) }

    /// Faces in `image` (gray or BGR) at its own size, scoring at least `scoreThreshold`, best first.
    public func detect(in image: Image, scoreThreshold: Double, nmsThreshold: Double = 0.3) throws -> [Face] {
        var out: UnsafeMutablePointer<cvs_face>?
        var count: Int32 = 0
        try image.pixels.withUnsafeBufferPointer { px in
            try check(cvs_yunet_detect(handle, px.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                                       Float(scoreThreshold), Float(nmsThreshold), &out, &count))
        }
        defer { cvs_free(out) }
        guard let out else { return [] }
        return UnsafeBufferPointer(start: out, count: Int(count)).map { f in
            let marks = withUnsafeBytes(of: f.landmarks) { Array($0.bindMemory(to: Float.self)) }
            return Face(x: Double(f.x), y: Double(f.y), width: Double(f.width), height: Double(f.height),
                        landmarks: (0..<5).map { (Double(marks[2 * $0]), Double(marks[2 * $0 + 1])) }, score: Double(f.score))
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
