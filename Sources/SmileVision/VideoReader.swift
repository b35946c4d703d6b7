import CCVShim

/// Reads the frames of a video file in order (FFmpeg's decoders, driven by the shim).
///
/// Frames that cannot be decoded (damaged data in the middle of a file) are skipped but keep their
/// numbers: the next frame read says how many were lost before it and why. Not thread-safe; use
/// one reader per thread.
public final class VideoReader {
    /// Which decoder reads the frames.
    public enum Backend {
        /// FFmpeg's decoders through the shim (the tool's reader).
        case ffmpeg
        /// OpenCV's VideoCapture: the reference the tool's reader is checked against. It renumbers
        /// the frames after a damaged one and reports no losses.
        case openCVReference
    }

    /// One decoded frame and its place in the video.
    public struct Frame {
        /// BGR pixels.
        public var image: Image
        /// 0-based frame number, counting the frames that could not be decoded.
        public var index: Int
        /// Seconds from the start (index / fps, or the frame's timestamp when the rate is unknown).
        public var timeSeconds: Double
        /// Frames lost (not decodable) between the previous frame read and this one.
        public var lostBefore: Int
        /// The decoder's reason for the last of those ("" when none).
        public var lostReason: String
        /// The decoder met damaged data in this frame and filled in what it could.
        public var concealed: Bool
    }

    /// The file being read.
    public let path: String
    /// Frames per second reported by the container (0 if unknown).
    public let fps: Double
    /// Frame count the container lists (0 if unknown).
    public let frameCount: Int
    private let handle: OpaquePointer

    /// Opens a video; throws `.fileNotFound`, `.unreadable`, `.emptyFile` or `.video`.
    public init(path: String, backend: Backend = .ffmpeg) throws {
        var h: OpaquePointer?
        var fps = 0.0
        var count: Int32 = 0
        let reader = Int32(backend == .ffmpeg ? CVS_VIDEO_FFMPEG : CVS_VIDEO_OPENCV_REFERENCE)
        try check(cvs_video_open(path, reader, &h, &fps, &count))
        guard let h else { throw VisionError(kind: .internalError, message: "\(path): video handle missing") }
        self.path = path
        self.handle = h
        self.fps = fps
        self.frameCount = Int(count)
    }

    deinit { cvs_video_close(handle) }

    /// The next frame (BGR) with its place in the video, or nil at the end. Throws `.video` when
    /// the file cannot be read any further.
    public func next() throws -> Frame? {
        var raw = cvs_image()
        var info = cvs_video_frame()
        var got: Int32 = 0
        try check(cvs_video_read(handle, &raw, &info, &got))
        guard got != 0 else { return nil }
        return Frame(image: Image(taking: raw), index: Int(info.index), timeSeconds: info.seconds,
                     lostBefore: Int(info.lost_before), lostReason: Self.string(info.lost_reason),
                     concealed: info.concealed != 0)
    }

    /// Frames that could not be decoded after the last frame read, once `next` has returned nil,
    /// with the decoder's reason for the last of them.
    public func lostAtEnd() -> (count: Int, reason: String) {
        var count: Int32 = 0
        var reason = [CChar](repeating: 0, count: 128)
        _ = cvs_video_lost_at_end(handle, &count, &reason, Int32(reason.count))
        return (Int(count), String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// A fixed-size C character array as a String.
    private static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
