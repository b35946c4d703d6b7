import Foundation
import XCTest
@testable import SmileVision

/// Videos damaged in the middle or cut off, made by the test as Motion-JPEG AVI files: the frames
/// that decode are kept with their own numbers, and the lost ones are counted where they were.
final class DamagedVideoTests: XCTestCase {
    static let frameCount = 30

    /// A clip whose frame i is gray level 8 * i (so a frame's content tells its true number).
    func writeClip(in dir: URL) throws -> (path: String, frames: [Range<Int>]) {
        var writer = MotionJPEGWriter(width: 64, height: 48, framesPerSecond: 10)
        for i in 0..<Self.frameCount { try writer.append(Image(width: 64, height: 48, channels: 3, filledWith: UInt8(8 * i))) }
        let path = dir.appendingPathComponent("clip.avi").path
        return (path, try writer.write(to: path))
    }

    /// The true frame number painted into a frame.
    func paintedNumber(_ image: Image) -> Int {
        Int((Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count) / 8).rounded())
    }

    func readAll(_ path: String, backend: VideoReader.Backend = .ffmpeg) throws -> [VideoReader.Frame] {
        let reader = try VideoReader(path: path, backend: backend)
        var frames: [VideoReader.Frame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return frames
    }

    func testWholeClipReadsEveryFrameInOrder() throws {
        let (path, _) = try writeClip(in: try TestSupport.tempDir(self))
        let reader = try VideoReader(path: path)
        XCTAssertEqual(reader.fps, 10)
        XCTAssertEqual(reader.frameCount, Self.frameCount)
        let frames = try readAll(path)
        XCTAssertEqual(frames.map(\.index), Array(0..<Self.frameCount))
        XCTAssertEqual(frames.map { paintedNumber($0.image) }, Array(0..<Self.frameCount))
        XCTAssertEqual(frames.map(\.timeSeconds), (0..<Self.frameCount).map { Double($0) / 10 })
        XCTAssertTrue(frames.allSatisfy { $0.lostBefore == 0 && !$0.concealed })
    }

    /// Garbage over frames 12-14 and the chunk headers between them: the demuxer skips them without
    /// a word; the reader numbers the frames after them right and says three were lost.
    func testDamageInTheMiddleKeepsTheOtherFramesWithTheirNumbers() throws {
        let dir = try TestSupport.tempDir(self)
        let (path, frames) = try writeClip(in: dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in (frames[12].lowerBound - 4)..<(frames[14].upperBound) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919 % 251) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let read = try readAll(path)
        let expected = Array(0..<12) + Array(15..<Self.frameCount)
        XCTAssertEqual(read.map(\.index), expected)
        XCTAssertEqual(read.map { paintedNumber($0.image) }, expected, "frame numbers must match the frames' content")
        XCTAssertEqual(read.map(\.timeSeconds), expected.map { Double($0) / 10 })
        let afterDamage = try XCTUnwrap(read.first { $0.index == 15 })
        XCTAssertEqual(afterDamage.lostBefore, 3)
        XCTAssertFalse(afterDamage.lostReason.isEmpty)
        XCTAssertEqual(read.filter { $0.lostBefore > 0 }.count, 1)

        // OpenCV's reader, the reference for undamaged files, renumbers the frames after the damage:
        // the reason the tool reads videos itself.
        let reference = try readAll(path, backend: .openCVReference)
        XCTAssertEqual(reference.map(\.index), Array(0..<expected.count))
        XCTAssertEqual(reference.map { paintedNumber($0.image) }, expected)
    }

    /// A clip cut off after frame 19 (the index at the end lost with it): the reader stops there;
    /// a clip whose last frames' data is garbage but whose index survives says they were lost.
    func testDamagedEndIsCounted() throws {
        let dir = try TestSupport.tempDir(self)
        let (path, frames) = try writeClip(in: dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for i in (frames[26].lowerBound - 4)..<frames[29].upperBound { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 % 253) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try VideoReader(path: path)
        var indices: [Int] = []
        while let frame = try reader.next() { indices.append(frame.index) }
        XCTAssertEqual(indices, Array(0..<26))
        XCTAssertEqual(reader.lostAtEnd().count, 4)
        XCTAssertFalse(reader.lostAtEnd().reason.isEmpty)

        let cut = dir.appendingPathComponent("cut.avi").path
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try writeClip(in: dir).path)))
        try Data(whole[..<frames[20].lowerBound]).write(to: URL(fileURLWithPath: cut))
        let cutReader = try VideoReader(path: cut)
        var cutIndices: [Int] = []
        while let frame = try cutReader.next() { cutIndices.append(frame.index) }
        XCTAssertEqual(cutIndices, Array(0..<20))
    }

    func testWriterRefusesAFrameOfAnotherSize() throws {
        var writer = MotionJPEGWriter(width: 64, height: 48, framesPerSecond: 10)
        XCTAssertThrowsError(try writer.append(Image(width: 32, height: 48, channels: 3))) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .invalidArgument)
        }
    }
}
