import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// Tracking on the first 60 frames of ../shared/data/video/facenet_group.mp4 (several people; needs SMILE_DATA).
final class TrackingDataTests: XCTestCase {
    func testIdsStayStableOnTheGroupClip() throws {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping tracking on ../shared/data/video") }
        let reader = try VideoReader(path: (root as NSString).appendingPathComponent("video/facenet_group.mp4"))
        let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        let session = TrackingSession(options: TrackingOptions(), threshold: 0.5)
        var perFrame: [[(Rect, Int)]] = []
        while let frame = try reader.next(), frame.index < 60 {
            let boxes = try detector.detect(in: frame.image)
            let faces = boxes.map { FaceResult(box: $0, smileProbability: 0.5, isSmiling: true) }
            let tracked = session.update(frame: frame.index, timeSeconds: frame.timeSeconds, image: frame.image, faces: faces)
            perFrame.append(Array(zip(boxes, tracked.map(\.track))))
        }
        XCTAssertEqual(perFrame.count, 60)
        let summaries = session.summaries()
        let people = summaries.filter { $0.whole.frames >= 30 }
        let counts = perFrame.map(\.count)
        // Id switches: a box in consecutive frames that overlaps the previous frame's box well but has another id.
        var switches = 0
        for (previous, current) in zip(perFrame, perFrame.dropFirst()) {
            for (box, id) in current {
                if let match = previous.first(where: { $0.0.intersectionOverUnion(box) >= 0.5 }), match.1 != id { switches += 1 }
            }
        }
        print("tracking facenet_group 60 frames: faces per frame min \(counts.min()!) median \(counts.sorted()[30]) max \(counts.max()!); "
              + "\(summaries.count) tracks of >= 3 frames, \(people.count) seen in >= 30 frames; id switches \(switches); "
              + "tracks: " + summaries.map { "#\($0.track) frames \($0.whole.start.frame)-\($0.whole.end.frame) (\($0.whole.frames))" }.joined(separator: ", "))
        XCTAssertLessThanOrEqual(switches, 2, "ids stay with their faces")
        let typical = counts.sorted()[30]
        XCTAssertGreaterThanOrEqual(typical, 3, "several people in the clip")
        XCTAssertGreaterThanOrEqual(people.count, 3, "the people seen through the clip keep one track each")
        XCTAssertLessThanOrEqual(people.count, typical, "no person is split into two long tracks")
        // No two long tracks follow the same face (one person listed twice).
        for (i, a) in people.enumerated() { for b in people.dropFirst(i + 1) {
            let together = perFrame.compactMap { frame -> Double? in
                guard let ba = frame.first(where: { $0.1 == a.track })?.0, let bb = frame.first(where: { $0.1 == b.track })?.0 else { return nil }
                return ba.intersectionOverUnion(bb)
            }
            XCTAssertTrue(together.allSatisfy { $0 < 0.3 }, "tracks \(a.track) and \(b.track) are one face")
        } }
        XCTAssertEqual(Set(summaries.map(\.track)).count, summaries.count, "the summary lists each track once")
    }

    /// The whole clip through the detection `smile frames` uses (local search between full passes),
    /// tracking and the per-person summary: each person is listed once.
    func testTheSummaryListsEachPersonOnceOnTheWholeClip() throws {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping tracking on ../shared/data/video") }
        let reader = try VideoReader(path: (root as NSString).appendingPathComponent("video/facenet_group.mp4"))
        let finder = VideoFaceDetector(detector: try FaceDetector(cascadePath: Fixtures.frontalCascade()))
        let session = TrackingSession(options: TrackingOptions(), threshold: 0.5)
        var frames: [(index: Int, image: Image)] = []
        var perFrame: [Int: [(Rect, Int)]] = [:]
        func track(_ results: [[DetectedFace]]) {
            for faces in results {
                let (index, image) = frames.removeFirst()
                let found = faces.map { FaceResult(box: $0.box, smileProbability: 0.5, isSmiling: true) }
                let ids = session.update(frame: index, timeSeconds: nil, image: image, faces: found).map(\.track)
                perFrame[index] = Array(zip(found.map(\.box), ids))
            }
        }
        while let frame = try reader.next() {
            frames.append((frame.index, frame.image))
            track(try finder.push(frame.image, frame: frame.index))
        }
        track(finder.flush())
        let people = session.summaries()
        let maxFaces = perFrame.values.map(\.count).max() ?? 0
        print("facenet_group, \(perFrame.count) frames, at most \(maxFaces) faces a frame; people in the summary: "
              + people.map { "tracks \($0.tracks) frames \($0.whole.start.frame)-\($0.whole.end.frame) (\($0.whole.frames))" }.joined(separator: "; "))
        XCTAssertEqual(perFrame.count, 105)
        XCTAssertTrue(people.contains { $0.tracks.count > 1 }, "someone lost and found again is joined into one person")
        // Two people of the summary are never one face: where both are seen in a frame, their boxes are apart.
        for (i, a) in people.enumerated() { for b in people.dropFirst(i + 1) {
            for boxes in perFrame.values {
                guard let ba = boxes.first(where: { a.tracks.contains($0.1) })?.0,
                      let bb = boxes.first(where: { b.tracks.contains($0.1) })?.0 else { continue }
                XCTAssertLessThan(ba.intersectionOverUnion(bb), 0.3, "people \(a.tracks) and \(b.tracks) are one face")
            }
        } }
        XCTAssertEqual(Set(people.flatMap(\.tracks)).count, people.flatMap(\.tracks).count, "each track in one person only")
    }
}
