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
