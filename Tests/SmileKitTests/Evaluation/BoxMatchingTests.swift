import SmileVision
import XCTest
@testable import SmileKit

final class BoxMatchingTests: XCTestCase {
    func testIoU() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.intersectionOverUnion(a), 1)
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 5, y: 0, width: 10, height: 10)), 50.0 / 150, accuracy: 1e-12)
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 5, y: 5, width: 10, height: 10)), 25.0 / 175, accuracy: 1e-12)
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 10, y: 0, width: 10, height: 10)), 0)  // touching
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 50, y: 50, width: 5, height: 5)), 0)
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 2, y: 2, width: 5, height: 5)), 25.0 / 100, accuracy: 1e-12)  // contained
        XCTAssertEqual(Rect(x: 0, y: 0, width: 0, height: 0).intersectionOverUnion(Rect(x: 0, y: 0, width: 0, height: 0)), 0)
    }

    let t0 = Rect(x: 0, y: 0, width: 10, height: 10)
    let t1 = Rect(x: 5, y: 0, width: 10, height: 10)
    let t2 = Rect(x: 100, y: 100, width: 40, height: 40)

    func testDetectionOverlappingTwoBoxesTakesTheBetterOne() {
        let d0 = Rect(x: 2, y: 0, width: 10, height: 10)  // IoU 0.667 with t0, 0.538 with t1
        let r = BoxMatcher.match(detections: [d0], truths: [t0, t1])
        XCTAssertEqual(r.matches.map(\.truth), [0])
        XCTAssertEqual(r.missedTruths, [1])
        XCTAssertEqual(r.falseDetections, [])
    }

    func testGreedyHighestIoUFirstWithMissAndFalseDetection() {
        let d0 = Rect(x: 2, y: 0, width: 10, height: 10)
        let d1 = Rect(x: 6, y: 0, width: 10, height: 10)  // IoU 0.818 with t1, 0.25 with t0
        let d2 = Rect(x: 300, y: 300, width: 20, height: 20)
        let r = BoxMatcher.match(detections: [d0, d1, d2], truths: [t0, t1, t2])
        XCTAssertEqual(r.matches.map { [$0.detection, $0.truth] }, [[1, 1], [0, 0]])
        XCTAssertEqual(r.matches[0].iou, 90.0 / 110, accuracy: 1e-12)
        XCTAssertEqual(r.missedTruths, [2])
        XCTAssertEqual(r.falseDetections, [2])
    }

    func testBelowThresholdIsNotAMatch() {
        let r = BoxMatcher.match(detections: [Rect(x: 5, y: 0, width: 10, height: 10)], truths: [t0])
        XCTAssertTrue(r.matches.isEmpty)
        XCTAssertEqual(r.missedTruths, [0])
        XCTAssertEqual(r.falseDetections, [0])
    }

    func testSizeBuckets() {
        func b(_ w: Int, _ h: Int) -> FaceSizeBucket { FaceSizeBucket(box: Rect(x: 0, y: 0, width: w, height: h)) }
        XCTAssertEqual(b(31, 31), .under32)
        XCTAssertEqual(b(32, 10), .from32To64)
        XCTAssertEqual(b(63, 63), .from32To64)
        XCTAssertEqual(b(64, 64), .from64To128)
        XCTAssertEqual(b(20, 70), .from64To128)
        XCTAssertEqual(b(127, 127), .from64To128)
        XCTAssertEqual(b(128, 5), .atLeast128)
    }

    func testStatisticsByBucket() throws {
        var stats = DetectionStatistics()
        let big = Rect(x: 0, y: 0, width: 200, height: 200)
        stats.add(detections: [Rect(x: 2, y: 0, width: 10, height: 10), Rect(x: 300, y: 300, width: 20, height: 20)],
                  truths: [t0, t2])
        stats.add(detections: [big, Rect(x: 500, y: 500, width: 150, height: 150)], truths: [big])
        XCTAssertEqual(stats.images, 2)
        XCTAssertEqual(stats.overall.truths, 3)
        XCTAssertEqual(stats.overall.matched, 2)
        XCTAssertEqual(stats.overall.missed, 1)
        XCTAssertEqual(stats.overall.falseDetections, 2)
        XCTAssertEqual(try XCTUnwrap(stats.overall.recall), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(stats.overall.precision), 0.5, accuracy: 1e-12)
        let small = try XCTUnwrap(stats.byBucket[.under32])  // t0 found (10 px); false 20 px detection
        XCTAssertEqual([small.truths, small.matched, small.missed, small.falseDetections], [1, 1, 0, 1])
        XCTAssertEqual(small.precision, 0.5)
        let mid = try XCTUnwrap(stats.byBucket[.from32To64])  // t2 (40 px) missed
        XCTAssertEqual([mid.truths, mid.matched, mid.missed, mid.falseDetections], [1, 0, 1, 0])
        XCTAssertEqual(mid.recall, 0)
        XCTAssertNil(mid.precision)
        let large = try XCTUnwrap(stats.byBucket[.atLeast128])
        XCTAssertEqual([large.truths, large.matched, large.missed, large.falseDetections], [1, 1, 0, 1])
        XCTAssertNil(stats.byBucket[.from64To128]?.recall)
    }
}
