import SmileVision
import XCTest
@testable import SmileKit

/// Joining tracks that are one person seen twice, for the per-person summary.
final class TrackStitchingTests: XCTestCase {
    private func extent(_ track: Int, _ first: Int, _ last: Int, at x: Int, side: Int = 60, endX: Int? = nil) -> TrackStitching.Extent {
        TrackStitching.Extent(track: track, firstFrame: first, firstBox: Rect(x: x, y: 100, width: side, height: side),
                              lastFrame: last, lastBox: Rect(x: endX ?? x, y: 100, width: side, height: side))
    }

    func testAPersonLostAndFoundAgainNearbyIsOnePerson() {
        let tracks = [extent(1, 0, 20, at: 100), extent(2, 0, 90, at: 400), extent(3, 40, 60, at: 110), extent(5, 70, 90, at: 120)]
        XCTAssertEqual(TrackStitching().people(tracks), [[1, 3, 5], [2]])
    }

    func testTracksOverlappingInTimeFarApartOrTooLateStaySeparate() {
        var stitching = TrackStitching()
        stitching.maxGap = 30
        let tracks = [extent(1, 0, 20, at: 100),
                      extent(2, 15, 40, at: 100),             // overlaps track 1 in time
                      extent(3, 25, 40, at: 300),             // starts far from where 1 ended
                      extent(4, 60, 70, at: 100, side: 200),  // three times the size
                      extent(6, 80, 90, at: 100)]             // 40 frames after 2 ended: too late
        XCTAssertEqual(stitching.people(tracks), [[1], [2], [3], [4], [6]])
    }

    func testTheShortestGapWinsWhenTwoTracksCouldContinueOne() {
        let tracks = [extent(1, 0, 10, at: 100), extent(2, 30, 40, at: 100), extent(3, 15, 25, at: 105)]
        XCTAssertEqual(TrackStitching().people(tracks), [[1, 3, 2]])
    }

    func testTheSessionSummaryListsAStitchedPersonOnce() {
        var options = TrackingOptions()
        options.tracker.maxMissed = 2
        let session = TrackingSession(options: options, threshold: 0.5)
        let image = Image(width: 320, height: 240, channels: 3)
        let face = { (x: Int) in FaceResult(box: Rect(x: x, y: 50, width: 60, height: 60), smileProbability: 0.9, isSmiling: true) }
        for frame in 0..<5 { _ = session.update(frame: frame, timeSeconds: nil, image: image, faces: [face(40 + frame)]) }
        for frame in 5..<15 { _ = session.update(frame: frame, timeSeconds: nil, image: image, faces: []) }
        for frame in 15..<20 { _ = session.update(frame: frame, timeSeconds: nil, image: image, faces: [face(50 + frame - 15)]) }
        let summaries = session.summaries()
        XCTAssertEqual(summaries.count, 1, "\(summaries.map(\.tracks))")
        XCTAssertEqual(summaries.first?.tracks, [1, 2], "the tracker gave the returning face a new id; the summary joins them")
        XCTAssertEqual(summaries.first?.whole.frames, 10)
        XCTAssertEqual(summaries.first.map { TracksTable.rows($0).hasSuffix(",1 2\n") }, true)

        options.stitching = nil
        let apart = TrackingSession(options: options, threshold: 0.5)
        for frame in 0..<20 where frame < 5 || frame >= 15 {
            _ = apart.update(frame: frame, timeSeconds: nil, image: image, faces: [face(40 + frame % 15)])
        }
        XCTAssertEqual(apart.summaries().count, 2)
    }
}
