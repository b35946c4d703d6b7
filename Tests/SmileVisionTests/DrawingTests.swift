import XCTest
@testable import SmileVision

/// Rectangles and labels land where asked and stay inside the image.
final class DrawingTests: XCTestCase {
    func testRectangleOutline() {
        var img = Image(width: 40, height: 30, channels: 3)
        img.drawRectangle(Rect(x: 5, y: 5, width: 20, height: 10), color: (b: 0, g: 255, r: 0), thickness: 1)
        XCTAssertGreaterThan(img[15, 5, 1], 100)   // top edge, green
        XCTAssertEqual(img[15, 5, 0], 0)
        XCTAssertEqual(img[15, 10, 1], 0)          // inside untouched
        XCTAssertEqual(img[35, 25, 1], 0)          // outside untouched
    }

    func testPolygonOutline() {
        var img = Image(width: 40, height: 40, channels: 3)
        // A diamond: its edges pass through (10, 10) and (30, 30), its corners' bounding box is untouched inside.
        img.drawPolygon([(x: 20, y: 0), (x: 40, y: 20), (x: 20, y: 40), (x: 0, y: 20)], color: (b: 255, g: 0, r: 0), thickness: 1)
        XCTAssertGreaterThan(img[10, 10, 0], 100)   // on the top-left edge, blue
        XCTAssertGreaterThan(img[30, 30, 0], 100)   // on the closing (bottom-right) edge
        XCTAssertEqual(img[20, 20, 0], 0)           // centre untouched
        XCTAssertEqual(img[2, 2, 0], 0)             // outside untouched
        var gray = Image(width: 10, height: 10, channels: 1)
        gray.drawPolygon([(x: 0, y: 5), (x: 9, y: 5)], color: (b: 255, g: 255, r: 255), thickness: 1)
        XCTAssertGreaterThan(gray[4, 5, 0], 200)    // a two-point polygon is a line (anti-aliased)
    }

    func testLabelIsClampedInside() {
        var img = Image(width: 100, height: 50, channels: 3)
        img.drawLabel("smile 0.93", at: (x: 1000, y: 1000), color: (b: 0, g: 200, r: 255), scale: 0.5)
        XCTAssertEqual(img[99, 49, 2], 255)        // box reaches the bottom-right corner
        XCTAssertEqual(img[0, 0, 2], 0)
        var gray = Image(width: 30, height: 20, channels: 1)
        gray.drawLabel("x", at: (x: -5, y: -5), color: (b: 255, g: 255, r: 255), scale: 0.4)
        XCTAssertEqual(gray[0, 0, 0], 255)         // moved to the top-left, white box
    }
}
