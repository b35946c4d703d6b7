import SmileVision
import XCTest
@testable import SmileKit

final class FaceTrackerTests: XCTestCase {
    private func box(_ x: Int, _ y: Int, _ side: Int = 40) -> Rect { Rect(x: x, y: y, width: side, height: side) }

    func testIdsStayWithMovingFacesWhateverTheirOrder() {
        let tracker = FaceTracker()
        XCTAssertEqual(tracker.update([box(0, 0), box(300, 0)]), [1, 2])
        XCTAssertEqual(tracker.update([box(306, 2), box(5, 1)]), [2, 1])
        XCTAssertEqual(tracker.update([box(10, 2), box(312, 4)]), [1, 2])
        XCTAssertEqual(tracker.update([box(600, 300)]), [3], "a face far from both is a new person")
    }

    func testMissedDetectionsAreTolerated() {
        var settings = FaceTracker.Settings()
        settings.maxMissed = 2
        let tracker = FaceTracker(settings: settings)
        XCTAssertEqual(tracker.update([box(100, 100)]), [1])
        XCTAssertEqual(tracker.update([]), [])
        XCTAssertEqual(tracker.update([]), [])
        XCTAssertEqual(tracker.update([box(104, 100)]), [1], "two missed frames keep the id")
        XCTAssertEqual(tracker.update([]), [])
        XCTAssertEqual(tracker.update([]), [])
        XCTAssertEqual(tracker.update([]), [])
        XCTAssertEqual(tracker.update([box(104, 100)]), [2], "three missed frames end the track")
        // Frame indices that skip count as missed frames.
        XCTAssertEqual(tracker.update([box(104, 100)], frame: 10), [2], "frames 8 and 9 skipped: two missed")
        XCTAssertEqual(tracker.update([box(104, 100)], frame: 14), [3], "frames 11 to 13 skipped: three missed")
    }

    func testCrossingFacesKeepTheirIds() {
        // A moves right, B moves left, 12 px a frame, 20 px apart vertically: their boxes overlap while they cross.
        let tracker = FaceTracker()
        var idsOfA: [Int] = [], idsOfB: [Int] = []
        for t in 0..<25 {
            let a = box(12 * t, 100), b = box(288 - 12 * t, 120)
            let ids = t % 2 == 0 ? tracker.update([a, b]) : tracker.update([b, a]).reversed()
            idsOfA.append(ids[0])
            idsOfB.append(ids[1])
        }
        XCTAssertEqual(Set(idsOfA), [1], "\(idsOfA)")
        XCTAssertEqual(Set(idsOfB), [2], "\(idsOfB)")
    }

    func testSizeChangeBeyondTheRatioStartsANewTrack() {
        let tracker = FaceTracker()
        XCTAssertEqual(tracker.update([box(100, 100, 40)]), [1])
        XCTAssertEqual(tracker.update([box(90, 90, 80)]), [2])
    }
}

final class TrackSummaryTests: XCTestCase {
    private func o(_ frame: Int, _ p: Float, _ s: Float) -> TrackObservation {
        TrackObservation(frame: frame, timeSeconds: Double(frame) / 10, smileProbability: p, smoothedProbability: s)
    }

    func testSegmentsBestFrameAndRows() throws {
        let observations = [o(0, 0.1, 0.1), o(1, 0.8, 0.6), o(2, 0.9, 0.75), o(4, 0.7, 0.7), o(5, 0.2, 0.45),
                            o(6, 0.95, 0.7), o(10, 0.99, 0.8)]
        let s = try XCTUnwrap(TrackSummary(track: 4, observations: observations, threshold: 0.5, maxGap: 2))
        XCTAssertEqual(s.whole.frames, 7)
        XCTAssertEqual(s.whole.best.frame, 10)
        XCTAssertEqual(s.smiles.map { [$0.start.frame, $0.end.frame, $0.frames] }, [[1, 4, 3], [6, 6, 1], [10, 10, 1]])
        XCTAssertEqual(s.smiles[0].meanProbability, 0.8, accuracy: 1e-6)
        XCTAssertEqual(s.smiles[0].best.frame, 2)
        XCTAssertEqual(TracksTable.rows(s).split(separator: "\n").first,
                       "4,all,0,10,0.000,1.000,7,0.6629,10,1.000,0.9900,4")
        XCTAssertEqual(TracksTable.rows(s).split(separator: "\n").count, 4)
        XCTAssertNil(TrackSummary(track: 1, observations: [], threshold: 0.5, maxGap: 2))
    }

    func testSessionSmoothsPerTrack() {
        var options = TrackingOptions()
        options.smoothing = 0.5
        let session = TrackingSession(options: options, threshold: 0.5)
        let image = Image(width: 400, height: 200, channels: 3)
        func face(_ x: Int, _ p: Float) -> FaceResult { FaceResult(box: Rect(x: x, y: 50, width: 40, height: 40), smileProbability: p, isSmiling: p >= 0.5) }
        XCTAssertEqual(session.update(frame: 0, timeSeconds: nil, image: image, faces: [face(10, 0.2), face(300, 1)]),
                       [TrackedFace(track: 1, smoothedProbability: 0.2), TrackedFace(track: 2, smoothedProbability: 1)])
        XCTAssertEqual(session.update(frame: 1, timeSeconds: nil, image: image, faces: [face(302, 0), face(12, 1)]),
                       [TrackedFace(track: 2, smoothedProbability: 0.5), TrackedFace(track: 1, smoothedProbability: 0.6)])
    }
}
