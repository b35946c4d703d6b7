import SmileVision
import XCTest
@testable import SmileKit

final class NonMaximumSuppressionTests: XCTestCase {
    func testOverlappingBoxesMergeIntoTheBestSupported() {
        let faces = [
            DetectedFace(box: Rect(x: 100, y: 100, width: 50, height: 50), neighbours: 6, pass: .frontal),
            DetectedFace(box: Rect(x: 105, y: 104, width: 48, height: 48), angle: 20, neighbours: 11, pass: .rotated),
            DetectedFace(box: Rect(x: 96, y: 98, width: 56, height: 56), neighbours: 3, pass: .profile),
        ]
        let kept = NonMaximumSuppression.suppress(faces)
        XCTAssertEqual(kept, [faces[1]])
        let clusters = NonMaximumSuppression.clusters(faces)
        XCTAssertEqual(clusters, [.init(kept: 1, members: [1, 0, 2])])
    }

    func testDistinctFacesStay() {
        let faces = [
            DetectedFace(box: Rect(x: 0, y: 0, width: 40, height: 40), neighbours: 5),
            DetectedFace(box: Rect(x: 30, y: 0, width: 40, height: 40), neighbours: 9),  // IoU 10/70 with the first
            DetectedFace(box: Rect(x: 200, y: 50, width: 30, height: 30), neighbours: 2),
        ]
        let kept = NonMaximumSuppression.suppress(faces)
        XCTAssertEqual(kept.map(\.box), [faces[1].box, faces[0].box, faces[2].box])
    }

    func testThresholdIsInclusiveAndAdjustable() {
        // IoU exactly 1/3: two 30x30 boxes overlapping by 15 columns -> 450 / 1350.
        let a = DetectedFace(box: Rect(x: 0, y: 0, width: 30, height: 30), neighbours: 4)
        let b = DetectedFace(box: Rect(x: 15, y: 0, width: 30, height: 30), neighbours: 3)
        XCTAssertEqual(NonMaximumSuppression.suppress([a, b], iouThreshold: 1.0 / 3).count, 1)
        XCTAssertEqual(NonMaximumSuppression.suppress([a, b], iouThreshold: 0.4).count, 2)
    }

    func testBoxInsideABoxIsDropped() {
        let big = DetectedFace(box: Rect(x: 0, y: 0, width: 100, height: 100), neighbours: 8)
        let inner = DetectedFace(box: Rect(x: 30, y: 30, width: 25, height: 25), neighbours: 12)  // IoU 0.06
        XCTAssertEqual(NonMaximumSuppression.suppress([big, inner]), [inner])
    }

    func testTiesGoToTheUprightFrontalBox() {
        let rotated = DetectedFace(box: Rect(x: 1, y: 1, width: 50, height: 50), angle: -20, neighbours: 7, pass: .rotated)
        let frontal = DetectedFace(box: Rect(x: 0, y: 0, width: 50, height: 50), neighbours: 7, pass: .frontal)
        XCTAssertEqual(NonMaximumSuppression.suppress([rotated, frontal]), [frontal])
    }
}
