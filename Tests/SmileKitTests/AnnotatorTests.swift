import SmileVision
import XCTest
@testable import SmileKit

/// Boxes of tilted faces are drawn turned by the face's angle; upright ones as before.
final class AnnotatorTests: XCTestCase {
    func testTiltedCornersTurnCounterClockwiseOnScreen() {
        let rect = Rect(x: 10, y: 20, width: 11, height: 21)
        let upright = DetectionGeometry.tiltedCorners(of: rect, angle: 0)
        XCTAssertEqual(upright.map(\.x), [10, 20, 20, 10])
        XCTAssertEqual(upright.map(\.y), [20, 20, 40, 40])
        // Turned a quarter counter-clockwise (centre (15, 30)): the top-left corner goes to the bottom left.
        let quarter = DetectionGeometry.tiltedCorners(of: rect, angle: 90)
        XCTAssertEqual(quarter[0].x, 5, accuracy: 1e-9)
        XCTAssertEqual(quarter[0].y, 35, accuracy: 1e-9)
        // Tilted by 30 degrees the top edge rises to the right, by -30 it falls.
        let left = DetectionGeometry.tiltedCorners(of: rect, angle: 30), right = DetectionGeometry.tiltedCorners(of: rect, angle: -30)
        XCTAssertLessThan(left[1].y, left[0].y)
        XCTAssertGreaterThan(right[1].y, right[0].y)
        let side = hypot(left[1].x - left[0].x, left[1].y - left[0].y)
        XCTAssertEqual(side, 10, accuracy: 1e-9, "turning keeps the size")
    }

    func testTiltedFaceGetsATurnedBoxAndUprightFaceAnUprightOne() {
        let blank = Image(width: 200, height: 200, channels: 3)
        let box = Rect(x: 60, y: 60, width: 80, height: 80)
        let tilted = Annotator.annotate(blank, faces: [FaceResult(box: box, smileProbability: 0.9, isSmiling: true, angle: 30)])
        // Midpoint of the turned top edge: the centre (99.5, 99.5) plus (0, -39.5) turned by 30 degrees.
        let a = 30 * Double.pi / 180
        let mid = (x: Int((99.5 - 39.5 * sin(a)).rounded()), y: Int((99.5 - 39.5 * cos(a)).rounded()))
        XCTAssertGreaterThan(tilted[mid.x, mid.y, 1], 100, "the turned top edge is drawn, green")
        XCTAssertEqual(tilted[62, 62, 1], 0, "no upright box corner")
        XCTAssertEqual(tilted[100, 62, 1], 0, "no upright top edge")

        let upright = Annotator.annotate(blank, faces: [FaceResult(box: box, smileProbability: 0.1, isSmiling: false)])
        XCTAssertGreaterThan(upright[100, 60, 2], 100, "upright top edge, orange-red")
        XCTAssertEqual(upright[mid.x, mid.y, 2], 0, "nothing where a turned edge would be")
    }
}
