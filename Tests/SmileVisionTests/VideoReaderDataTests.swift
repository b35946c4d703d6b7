import Foundation
import XCTest
@testable import SmileVision

/// Reads the real video clip in $SMILE_DATA (skipped without it).
final class VideoReaderDataTests: XCTestCase {
    func testHamiltonClip() throws {
        guard let data = ProcessInfo.processInfo.environment["SMILE_DATA"], !data.isEmpty else {
            throw XCTSkip("set SMILE_DATA to the data folder to run this test")
        }
        let reader = try VideoReader(path: data + "/video/hamilton_clip.mp4")
        XCTAssertEqual(reader.fps, 29.97, accuracy: 0.05)
        var count = 0
        var lastTime = -1.0
        while let frame = try reader.next() {
            XCTAssertEqual(frame.index, count)
            XCTAssertEqual([frame.image.width, frame.image.height, frame.image.channels], [640, 360, 3])
            XCTAssertGreaterThan(frame.timeSeconds, lastTime)
            lastTime = frame.timeSeconds
            count += 1
        }
        XCTAssertEqual(Double(count), 275, accuracy: 5)
        XCTAssertEqual(Double(reader.frameCount), Double(count), accuracy: 5)
        XCTAssertEqual(lastTime, Double(count - 1) / reader.fps, accuracy: 0.2)
        XCTAssertNil(try reader.next())
    }

    /// The tool's reader gives OpenCV's frames, pixel for pixel, on both undamaged clips.
    func testFramesEqualOpenCVs() throws {
        guard let data = ProcessInfo.processInfo.environment["SMILE_DATA"], !data.isEmpty else {
            throw XCTSkip("set SMILE_DATA to the data folder to run this test")
        }
        for clip in ["hamilton_clip.mp4", "facenet_group.mp4"] {
            let ours = try VideoReader(path: data + "/video/" + clip)
            let reference = try VideoReader(path: data + "/video/" + clip, backend: .openCVReference)
            XCTAssertEqual(ours.fps, reference.fps, clip)
            XCTAssertEqual(ours.frameCount, reference.frameCount, clip)
            var count = 0
            while let frame = try ours.next() {
                let expected = try XCTUnwrap(try reference.next(), "\(clip): OpenCV ends before frame \(frame.index)")
                XCTAssertEqual(frame.index, expected.index, clip)
                XCTAssertEqual(frame.timeSeconds, expected.timeSeconds, accuracy: 0.002, "\(clip) frame \(frame.index)")
                XCTAssertEqual(frame.lostBefore, 0)
                XCTAssertFalse(frame.concealed)
                if frame.image.pixels != expected.image.pixels {
                    return XCTFail("\(clip): frame \(frame.index) differs from OpenCV's")
                }
                count += 1
            }
            XCTAssertNil(try reference.next(), "\(clip): OpenCV has frames after \(count)")
            XCTAssertEqual(ours.lostAtEnd().count, 0)
        }
    }

    /// H.264 (hamilton_clip.mp4, $SMILE_DATA) with 5,000 bytes of garbage in the middle: the decoder
    /// conceals some frames and drops others without an error; every frame it gives keeps its number,
    /// so frames before the damage, and those after the stream recovers, equal the undamaged file's.
    func testDamagedH264KeepsFrameNumbers() throws {
        guard let data = ProcessInfo.processInfo.environment["SMILE_DATA"], !data.isEmpty else {
            throw XCTSkip("set SMILE_DATA to the data folder to run this test")
        }
        let original = data + "/video/hamilton_clip.mp4"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 5000) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7919 % 251) }
        let damaged = try TestSupport.tempDir(self).appendingPathComponent("damaged.mp4").path
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))

        var whole: [Int: [UInt8]] = [:]
        let reader = try VideoReader(path: original)
        while let frame = try reader.next() { whole[frame.index] = frame.image.pixels }
        let damagedReader = try VideoReader(path: damaged)
        var read: [VideoReader.Frame] = []
        while let frame = try damagedReader.next() { read.append(frame) }
        let lost = read.reduce(0) { $0 + $1.lostBefore }
        XCTAssertGreaterThan(lost, 0, "the damage costs frames")
        XCTAssertEqual(read.count + lost, whole.count, "every frame is either read or counted lost")
        XCTAssertEqual(read.map(\.index), read.map(\.index).sorted())
        let firstHurt = try XCTUnwrap(read.first { $0.lostBefore > 0 || $0.concealed }).index
        for frame in read where frame.index < firstHurt {
            XCTAssertEqual(frame.image.pixels, whole[frame.index], "frame \(frame.index), before the damage")
        }
        let last = try XCTUnwrap(read.last)
        XCTAssertEqual(last.index, whole.count - 1)
        XCTAssertEqual(last.image.pixels, whole[last.index], "the last frame, long after the damage, is itself")
        let recovered = read.filter { $0.index > firstHurt + 30 }
        XCTAssertFalse(recovered.isEmpty)
        XCTAssertTrue(recovered.allSatisfy { $0.image.pixels == whole[$0.index] }, "frames after the stream recovers equal the undamaged file's")
    }
}

/// VideoReader errors that need no data.
final class VideoReaderTests: XCTestCase {
    func testMissingAndNonVideoFiles() throws {
        let dir = try TestSupport.tempDir(self)
        XCTAssertThrowsError(try VideoReader(path: dir.path + "/none.mp4")) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .fileNotFound)
        }
        let junk = try TestSupport.write(TestSupport.noise(width: 32, height: 32, channels: 1).pixels, "junk.mp4", in: dir)
        XCTAssertThrowsError(try VideoReader(path: junk)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .video)
        }
    }
}
