import Foundation

/// Writes frames as a Motion-JPEG AVI file: every frame a JPEG in its own chunk, with the `idx1`
/// index players and FFmpeg use to find them.
///
/// Small and dependency-free on purpose: the tests make clips with it (whole, damaged in the
/// middle, cut off) without an encoder library, and the byte offsets it returns let a test damage
/// exactly one frame. Written by hand because OpenCV's writer would load FFmpeg's encoders and
/// hide where each frame lies.
public struct MotionJPEGWriter {
    /// Frame size (every frame must have it) and rate.
    public let width: Int
    public let height: Int
    public let framesPerSecond: Int
    /// JPEG quality of the frames.
    public var quality = 90
    private var frames: [[UInt8]] = []

    public init(width: Int, height: Int, framesPerSecond: Int) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
    }

    /// Adds a frame (gray or BGR, of the writer's size).
    public mutating func append(_ image: Image) throws {
        guard image.width == width, image.height == height else {
            throw VisionError(kind: .invalidArgument, message: "frame is \(image.width)x\(image.height), the video \(width)x\(height)")
        }
        frames.append(try ImageCodec.encode(image, as: .jpeg(quality: quality)))
    }

    /// The file's bytes, and where each frame's JPEG data starts and ends in them.
    public func bytes() -> (data: [UInt8], frames: [Range<Int>]) {
        var movi: [UInt8] = Array("movi".utf8)
        var placed: [(offset: Int, size: Int)] = []
        for jpeg in frames {
            placed.append((movi.count, jpeg.count))
            movi += chunk("00dc", jpeg)
        }
        var index: [UInt8] = []
        for frame in placed {
            index += Array("00dc".utf8) + le32(0x10) + le32(frame.offset) + le32(frame.size)  // 0x10: key frame
        }
        let microseconds = 1_000_000 / max(framesPerSecond, 1)
        let largest = frames.map(\.count).max() ?? 0
        var mainHeader = le32(microseconds) + le32(largest * framesPerSecond) + le32(0) + le32(0x10)  // has index
        mainHeader += le32(frames.count) + le32(0) + le32(1) + le32(largest) + le32(width) + le32(height) + [UInt8](repeating: 0, count: 16)
        var streamHeader = Array("vidsMJPG".utf8) + le32(0) + le32(0) + le32(0) + le32(1) + le32(framesPerSecond) + le32(0)
        streamHeader += le32(frames.count) + le32(largest) + le32(0xFFFF_FFFF) + le32(0) + le16(0) + le16(0) + le16(width) + le16(height)
        let format = le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + Array("MJPG".utf8) + le32(width * height * 3)
            + le32(0) + le32(0) + le32(0) + le32(0)
        let streamList = list("strl", chunk("strh", streamHeader) + chunk("strf", format))
        let headerList = list("hdrl", chunk("avih", mainHeader) + streamList)
        let body = Array("AVI ".utf8) + headerList + chunk("LIST", movi) + chunk("idx1", index)
        let file = Array("RIFF".utf8) + le32(body.count) + body
        // movi's data begins after RIFF (12 bytes), the header list and movi's LIST header (8 bytes).
        let moviStart = 12 + headerList.count + 8
        return (file, placed.map { (moviStart + $0.offset + 8)..<(moviStart + $0.offset + 8 + $0.size) })
    }

    /// Writes the file; returns where each frame's JPEG data lies in it.
    @discardableResult
    public func write(to path: String) throws -> [Range<Int>] {
        let (data, frames) = bytes()
        try Data(data).write(to: URL(fileURLWithPath: path))
        return frames
    }

    private func chunk(_ id: String, _ payload: [UInt8]) -> [UInt8] {
        Array(id.utf8) + le32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    private func list(_ kind: String, _ payload: [UInt8]) -> [UInt8] { chunk("LIST", Array(kind.utf8) + payload) }

    private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: UInt32(truncatingIfNeeded: value) >> (8 * $0)) } }

    private func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: UInt16(truncatingIfNeeded: value) >> (8 * $0)) } }
}
