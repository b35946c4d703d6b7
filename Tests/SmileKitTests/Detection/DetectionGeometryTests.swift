import SmileVision
import XCTest
@testable import SmileKit

final class DetectionGeometryTests: XCTestCase {
    /// A gray image, black with a white rectangle.
    private func canvas(width: Int, height: Int, white: Rect) -> Image {
        var image = Image(width: width, height: height, channels: 1)
        for y in white.y..<(white.y + white.height) { for x in white.x..<(white.x + white.width) { image[x, y, 0] = 255 } }
        return image
    }

    /// The bounding box of pixels brighter than 127.
    private func brightBox(_ image: Image) -> Rect? {
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        for y in 0..<image.height { for x in 0..<image.width where image[x, y, 0] > 127 {
            x0 = min(x0, x); y0 = min(y0, y); x1 = max(x1, x); y1 = max(y1, y)
        } }
        return x1 < 0 ? nil : Rect(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1)
    }

    func testMirroredBoxesMapBackExactly() throws {
        let original = Rect(x: 7, y: 11, width: 13, height: 9)
        let image = canvas(width: 50, height: 30, white: original)
        let mirrorBox = try XCTUnwrap(brightBox(image.flippedHorizontally()))
        XCTAssertEqual(mirrorBox, Rect(x: 30, y: 11, width: 13, height: 9))
        XCTAssertEqual(DetectionGeometry.unmirrored(mirrorBox, imageWidth: 50), original)
        // Mapping back twice is the identity; a box touching an edge lands on the other edge.
        XCTAssertEqual(DetectionGeometry.unmirrored(DetectionGeometry.unmirrored(original, imageWidth: 50), imageWidth: 50), original)
        XCTAssertEqual(DetectionGeometry.unmirrored(Rect(x: 0, y: 0, width: 5, height: 5), imageWidth: 50).x, 45)
    }

    func testRotatedCanvasHoldsTheWholeImageAndMapsCentresBack() {
        let (map, w, h) = DetectionGeometry.rotation(width: 200, height: 100, degrees: 90)
        XCTAssertEqual(w, 100)
        XCTAssertEqual(h, 200)
        let centre = map.apply((99.5, 49.5))
        XCTAssertEqual(centre.x, 49.5, accuracy: 1e-9)
        XCTAssertEqual(centre.y, 99.5, accuracy: 1e-9)
        // A box found on the rotated canvas goes back with the same size, centred where it came from.
        let original = Rect(x: 20, y: 30, width: 10, height: 10)
        let c = map.apply((24.5, 34.5))
        let found = Rect(x: Int((c.x - 4.5).rounded()), y: Int((c.y - 4.5).rounded()), width: 10, height: 10)
        XCTAssertEqual(DetectionGeometry.unmapped(found, from: map), original)
    }

    func testAffineInverse() {
        let m = AffineMap(Image.rotationMatrix(center: (10, 20), degrees: 33, scale: 1.5, dx: 4, dy: -7))
        let p = m.inverted.apply(m.apply((3, 8)))
        XCTAssertEqual(p.x, 3, accuracy: 1e-9)
        XCTAssertEqual(p.y, 8, accuracy: 1e-9)
    }

    func testUprightCropUndoesARotation() {
        // A white bar, horizontal, turned by 30 degrees; the upright crop at angle 30 gives it back horizontal.
        let bar = Rect(x: 40, y: 95, width: 120, height: 10)
        let image = canvas(width: 200, height: 200, white: bar)
        let tilted = image.warpedAffine(Image.rotationMatrix(center: (99.5, 99.5), degrees: 30), width: 200, height: 200)
        let frame = Rect(x: 0, y: 0, width: 200, height: 200)
        let upright = DetectionGeometry.uprightCrop(tilted, rect: frame, angle: 30, width: 200, height: 200)
        let box = brightBox(upright)
        XCTAssertNotNil(box)
        XCTAssertLessThanOrEqual(abs((box?.height ?? 99) - 10), 3, "bar horizontal again: \(String(describing: box))")
        XCTAssertLessThanOrEqual(abs((box?.width ?? 0) - 120), 4)
        let wrongWay = brightBox(DetectionGeometry.uprightCrop(tilted, rect: frame, angle: -30, width: 200, height: 200))
        XCTAssertGreaterThan(wrongWay?.height ?? 0, 60, "turning the other way doubles the tilt")
        XCTAssertEqual(DetectionGeometry.uprightCrop(image, rect: bar, angle: 0, width: 12, height: 1).pixels,
                       image.croppedResized(to: bar, width: 12, height: 1).pixels)
    }
}
