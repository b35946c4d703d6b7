import SmileVision
import XCTest
@testable import SmileKit

/// The video detector on a clip made by the test: the sample photo sliding across a 640x360 frame.
final class VideoFaceDetectorTests: XCTestCase {
    /// Frame `index` of the clip: the photo shifted right by 3 px per frame, or an empty frame.
    private func frame(_ index: Int, photo: Image, empty: Bool = false) -> Image {
        guard !empty else { return Image(width: 640, height: 360, channels: 3, filledWith: 40) }
        return photo.warpedAffine([1, 0, Double(3 * index) - 60, 0, 1, -20], width: 640, height: 360)
    }

    /// Pushes every frame, then flushes; checks each frame comes back once, in order.
    private func run(_ detector: VideoFaceDetector, _ frames: [Image]) throws -> [[DetectedFace]] {
        var out: [[DetectedFace]] = []
        for (index, image) in frames.enumerated() { out += try detector.push(image, frame: index) }
        out += detector.flush()
        XCTAssertEqual(out.count, frames.count, "every frame comes back once")
        return out
    }

    private func makeDetector(every interval: Int) throws -> VideoFaceDetector {
        var settings = VideoFaceDetector.Settings()
        settings.fullPassInterval = interval
        return VideoFaceDetector(detector: try FaceDetector(cascadePath: Fixtures.frontalCascade()), settings: settings)
    }

    func testLocalSearchFindsTheFacesOfAFullPassOnEveryFrame() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let frames = (0..<12).map { frame($0, photo: photo) }
        let reference = try run(try makeDetector(every: 1), frames)
        let fast = try makeDetector(every: 4)
        let found = try run(fast, frames)
        XCTAssertEqual(fast.fullPasses, 3, "full passes at frames 0, 4 and 8")
        XCTAssertGreaterThan(fast.localSearches, 0)
        for (index, (full, quick)) in zip(reference, found).enumerated() {
            XCTAssertEqual(full.count, 1, "the full pass finds the face in frame \(index)")
            XCTAssertEqual(quick.count, full.count, "frame \(index): \(quick) vs \(full)")
            if let a = full.first, let b = quick.first {
                XCTAssertGreaterThanOrEqual(a.box.intersectionOverUnion(b.box), 0.5, "frame \(index): \(b.box) vs \(a.box)")
            }
        }
    }

    func testAFaceAppearingBetweenFullPassesIsFollowedBack() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        // Empty until frame 2; full passes at 0 and 4: frames 2 and 3 get the face only by backfilling from frame 4.
        let frames = (0..<6).map { frame($0, photo: photo, empty: $0 < 2) }
        let found = try run(try makeDetector(every: 4), frames)
        XCTAssertEqual(found.map(\.count), [0, 0, 1, 1, 1, 1])
    }

    func testAFaceMissingForAFrameIsSearchedForAgain() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        // The face vanishes in frame 2 only; frames 3-5 have no full pass (interval 8) yet find it again.
        let frames = (0..<6).map { frame($0, photo: photo, empty: $0 == 2) }
        let found = try run(try makeDetector(every: 8), frames)
        XCTAssertEqual(found.map(\.count), [1, 1, 0, 1, 1, 1])
    }

    func testIntervalOneIsThePlainDetector() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let frames = (0..<3).map { frame($0, photo: photo) }
        let plain = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        let video = try makeDetector(every: 1)
        let found = try run(video, frames)
        XCTAssertEqual(found, try frames.map { try plain.detectFaces(in: $0) })
        XCTAssertEqual(video.localSearches, 0)
    }
}
