import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// YuNet's local search between full searches keeps the faces a full search on every frame finds
/// (the first 120 frames of ../shared/data/video/hamilton_clip.mp4; needs SMILE_DATA).
final class YuNetVideoDataTests: XCTestCase {
    func testTheLocalSearchKeepsTheEveryFrameFaces() throws {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping YuNet on hamilton_clip.mp4") }
        var settings = FaceDetector.Settings()
        settings.detector = .yunet
        settings.yunetFinePass = false
        let model = Fixtures.projectRoot.appendingPathComponent("models/" + YuNetLocator.relativePath).path
        func run(interval: Int) throws -> [[DetectedFace]] {
            let reader = try VideoReader(path: (root as NSString).appendingPathComponent("video/hamilton_clip.mp4"))
            var videoSettings = VideoFaceDetector.Settings()
            videoSettings.fullPassInterval = interval
            let video = VideoFaceDetector(detector: try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings, yunetPath: model),
                                          settings: videoSettings)
            var frames: [[DetectedFace]] = []
            while let frame = try reader.next(), frame.index < 120 { frames += try video.push(frame.image, frame: frame.index) }
            return frames + video.flush()
        }
        let reference = try run(interval: 1), local = try run(interval: 3)
        XCTAssertEqual(reference.count, 120)
        XCTAssertEqual(local.count, 120)
        var kept = 0, total = 0
        for (truth, found) in zip(reference, local) {
            total += truth.count
            kept += truth.filter { face in found.contains { $0.box.intersectionOverUnion(face.box) >= 0.5 } }.count
        }
        print("YuNet, hamilton_clip.mp4 frames 0-119: --detect-every 3 kept \(kept) of the \(total) every-frame faces")
        XCTAssertGreaterThan(total, 100)
        XCTAssertGreaterThanOrEqual(Double(kept) / Double(total), 0.98)
    }
}
