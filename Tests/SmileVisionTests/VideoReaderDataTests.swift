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
