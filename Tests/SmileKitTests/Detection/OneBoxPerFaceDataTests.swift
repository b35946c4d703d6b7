import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// One box per face on frame 0 of ../shared/data/video/facenet_group.mp4, where the Haar cascade
/// put a second box 79% inside a boy's face box (needs SMILE_DATA).
final class OneBoxPerFaceDataTests: XCTestCase {
    private func firstFrame() throws -> Image {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping the facenet_group frame") }
        let reader = try VideoReader(path: (root as NSString).appendingPathComponent("video/facenet_group.mp4"))
        return try XCTUnwrap(try reader.next()).image
    }

    /// Pairs of boxes of which the smaller lies at least half inside the larger.
    private func nested(_ boxes: [Rect]) -> [(Rect, Rect)] {
        var pairs: [(Rect, Rect)] = []
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                let inside = Double(a.intersection(b)?.area ?? 0) / Double(min(a.area, b.area))
                if inside >= 0.5 { pairs.append((a, b)) }
            }
        }
        return pairs
    }

    func testNoFaceBoxSitsInsideAnotherWithEitherDetectorOrInVideo() throws {
        let frame = try firstFrame()
        var yunetSettings = FaceDetector.Settings()
        yunetSettings.detector = .yunet
        yunetSettings.yunetFinePass = false
        let detectors = [try FaceDetector(cascadePath: Fixtures.frontalCascade()),
                         try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: yunetSettings,
                                          yunetPath: Fixtures.projectRoot.appendingPathComponent("models/" + YuNetLocator.relativePath).path)]
        for detector in detectors {
            let boxes = try detector.detect(in: frame)
            XCTAssertGreaterThanOrEqual(boxes.count, 4, "\(detector.settings.detector): the children's faces")
            XCTAssertTrue(nested(boxes).isEmpty, "\(detector.settings.detector): boxes inside others: \(nested(boxes))")
            // The video path: a full pass, then the local search around its faces on the same frame.
            let video = VideoFaceDetector(detector: detector)
            _ = try video.push(frame, frame: 0)
            for index in 1...2 { _ = try video.push(frame, frame: index) }
            let frames = try video.push(frame, frame: 3) + video.flush()
            for faces in frames {
                XCTAssertTrue(nested(faces.map(\.box)).isEmpty, "\(detector.settings.detector), video: \(nested(faces.map(\.box)))")
            }
        }
    }
}
