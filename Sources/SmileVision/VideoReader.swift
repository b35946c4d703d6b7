import CCVShim

/// Reads the frames of a video file in order (OpenCV VideoCapture, FFmpeg backend).
///
/// Not thread-safe; use one reader per thread.
public final class VideoReader {
    /// The file being read.
    public let path: String
    /// Frames per second reported by the container (0 if unknown).
    public let fps: Double
    /// Frame count reported by the container (approximate; 0 if unknown).
    public let frameCount: Int
    private let handle: OpaquePointer

    /// Opens a video; throws `.fileNotFound`, `.unreadable`, `.emptyFile` or `.video`.
    public init(path: String) throws {
        var h: OpaquePointer?
        var fps = 0.0
        var count: Int32 = 0
        try check(cvs_video_open(path, &h, &fps, &count))
        guard let h else { throw VisionError(kind: .internalError, message: "\(path): video handle missing") }
        self.path = path
        self.handle = h
        self.fps = fps
        self.frameCount = Int(count)
    }

    deinit { cvs_video_close(handle) }

    /// The next frame (BGR) with its 0-based index and time in seconds, or nil at the end.
    public func next() throws -> (image: Image, index: Int, timeSeconds: Double)? {
        var raw = cvs_image()
        var index: Int32 = 0
        var seconds = 0.0
        var got: Int32 = 0
        try check(cvs_video_read(handle, &raw, &index, &seconds, &got))
        guard got != 0 else { return nil }
        return (Image(taking: raw), Int(index), seconds)
    }
}
