import XCTest
@testable import SmileVision

/// Transforms compared against naive pixel loops on small synthetic images.
final class TransformTests: XCTestCase {
    func testCropInsideIsExact() {
        let img = TestSupport.noise(width: 9, height: 7, channels: 3)
        let rect = Rect(x: 2, y: 1, width: 4, height: 5)
        let crop = img.cropped(to: rect)
        XCTAssertEqual([crop.width, crop.height, crop.channels], [4, 5, 3])
        for y in 0..<5 { for x in 0..<4 { for c in 0..<3 { XCTAssertEqual(crop[x, y, c], img[x + 2, y + 1, c]) } } }
    }

    func testCropBeyondEdgesReplicates() {
        for channels in [1, 3] {
            let img = TestSupport.noise(width: 5, height: 4, channels: channels)
            for rect in [Rect(x: -2, y: -1, width: 9, height: 7), Rect(x: -10, y: 6, width: 3, height: 2),
                         Rect(x: 3, y: -3, width: 4, height: 4)] {
                let crop = img.cropped(to: rect)
                XCTAssertEqual([crop.width, crop.height], [rect.width, rect.height])
                for y in 0..<rect.height {
                    for x in 0..<rect.width {
                        let sx = min(max(rect.x + x, 0), 4), sy = min(max(rect.y + y, 0), 3)
                        for c in 0..<channels { XCTAssertEqual(crop[x, y, c], img[sx, sy, c], "\(rect) at \(x),\(y)") }
                    }
                }
            }
        }
    }

    func testResizeSizesAndAreaAverage() {
        let img = TestSupport.noise(width: 8, height: 6, channels: 3)
        let up = img.resized(width: 13, height: 11)
        XCTAssertEqual([up.width, up.height, up.channels], [13, 11, 3])
        let half = img.resized(width: 4, height: 3)
        for y in 0..<3 {
            for x in 0..<4 {
                for c in 0..<3 {
                    let sum = [(0, 0), (1, 0), (0, 1), (1, 1)].map { Int(img[2 * x + $0.0, 2 * y + $0.1, c]) }.reduce(0, +)
                    XCTAssertLessThanOrEqual(abs(Int(half[x, y, c]) - (sum + 2) / 4), 1)
                }
            }
        }
        XCTAssertEqual(img.resized(width: 8, height: 6), img)
        let flat = Image(width: 10, height: 10, channels: 1, filledWith: 77)
        XCTAssertEqual(flat.resized(width: 23, height: 4), Image(width: 23, height: 4, channels: 1, filledWith: 77))
    }

    func testCroppedResizedMatchesCropThenResize() {
        let img = TestSupport.noise(width: 20, height: 16, channels: 3)
        let rect = Rect(x: -3, y: 4, width: 12, height: 14)
        XCTAssertEqual(img.croppedResized(to: rect, width: 6, height: 7), img.cropped(to: rect).resized(width: 6, height: 7))
    }

    func testFlip() {
        let img = TestSupport.noise(width: 7, height: 3, channels: 3)
        let flipped = img.flippedHorizontally()
        for y in 0..<3 { for x in 0..<7 { for c in 0..<3 { XCTAssertEqual(flipped[x, y, c], img[6 - x, y, c]) } } }
        XCTAssertEqual(flipped.flippedHorizontally(), img)
    }

    func testWarpIdentityAndShift() {
        let img = TestSupport.noise(width: 9, height: 6, channels: 3)
        XCTAssertEqual(img.warpedAffine([1, 0, 0, 0, 1, 0], width: 9, height: 6), img)
        let shifted = img.warpedAffine([1, 0, 2, 0, 1, 0], width: 9, height: 6)
        for y in 0..<6 {
            for x in 0..<9 { for c in 0..<3 { XCTAssertEqual(shifted[x, y, c], img[max(x - 2, 0), y, c]) } }
        }
        let rot = Image.rotationMatrix(center: (4, 2.5), degrees: 0)
        XCTAssertEqual(img.warpedAffine(rot, width: 9, height: 6), img)
    }

    func testWarpRotation180() {
        let img = TestSupport.noise(width: 5, height: 5, channels: 1)
        let rotated = img.warpedAffine(Image.rotationMatrix(center: (2, 2), degrees: 180), width: 5, height: 5)
        for y in 0..<5 { for x in 0..<5 { XCTAssertEqual(rotated[x, y, 0], img[4 - x, 4 - y, 0]) } }
    }

    func testGrayConversion() {
        let img = TestSupport.noise(width: 6, height: 5, channels: 3)
        let gray = img.grayscale()
        XCTAssertEqual(gray.channels, 1)
        for y in 0..<5 {
            for x in 0..<6 {
                let v = 0.114 * Double(img[x, y, 0]) + 0.587 * Double(img[x, y, 1]) + 0.299 * Double(img[x, y, 2])
                XCTAssertLessThanOrEqual(abs(Double(gray[x, y, 0]) - v), 1)
            }
        }
        let back = gray.bgr()
        for y in 0..<5 { for x in 0..<6 { for c in 0..<3 { XCTAssertEqual(back[x, y, c], gray[x, y, 0]) } } }
        XCTAssertEqual(gray.grayscale(), gray)
        XCTAssertEqual(img.bgr(), img)
    }

    func testEqualizeSpreadsHistogram() {
        var img = Image(width: 16, height: 16, channels: 1)
        for i in 0..<img.pixels.count { img.pixels[i] = UInt8(100 + i % 20) }
        let eq = img.equalized()
        XCTAssertEqual(eq.pixels.min(), img.pixels.min().map { _ in eq.pixels.min()! })
        XCTAssertEqual(eq.pixels.max(), 255)
        XCTAssertLessThan(Int(eq.pixels.min()!), 100)
    }

    func testRectGeometry() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10), b = Rect(x: 5, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.area, 100)
        XCTAssertEqual(a.intersectionOverUnion(b), 50.0 / 150.0, accuracy: 1e-12)
        XCTAssertEqual(a.intersectionOverUnion(a), 1)
        XCTAssertEqual(a.intersectionOverUnion(Rect(x: 20, y: 20, width: 5, height: 5)), 0)
    }
}
