import CCVShim
import XCTest

/// The Haar scan's integral images (`cvs_integral`) against their definition, summed naively.
final class HaarIntegralTests: XCTestCase {
    /// Sums over the pixels above and left of each entry, modulo 2^32 (as OpenCV's int sums wrap).
    private func naive(_ pixels: [UInt8], width: Int, height: Int) -> (sum: [Int32], squares: [Int32]) {
        var sum = [Int32](repeating: 0, count: (width + 1) * (height + 1)), squares = sum
        for y in 0..<height {
            for x in 0..<width {
                var s: UInt32 = 0, q: UInt32 = 0
                for yy in 0...y {
                    for xx in 0...x {
                        let p = UInt32(pixels[yy * width + xx])
                        s = s &+ p
                        q = q &+ p * p
                    }
                }
                sum[(y + 1) * (width + 1) + x + 1] = Int32(bitPattern: s)
                squares[(y + 1) * (width + 1) + x + 1] = Int32(bitPattern: q)
            }
        }
        return (sum, squares)
    }

    private func integral(_ pixels: [UInt8], width: Int, height: Int, vectorised: Bool) throws -> (sum: [Int32], squares: [Int32]) {
        var sum = [Int32](repeating: -1, count: (width + 1) * (height + 1)), squares = sum
        let status = cvs_integral(pixels, Int32(width), Int32(height), &sum, &squares, vectorised ? 1 : 0)
        XCTAssertEqual(status, 0)
        return (sum, squares)
    }

    func testIntegralsMatchTheirDefinitionAtEveryWidth() throws {
        var random = SystemRandomNumberGenerator()
        // Widths around the eight-pixel blocks, and heights from one row.
        for width in [1, 2, 7, 8, 9, 15, 16, 17, 23, 31, 33] {
            for height in [1, 2, 5] {
                let pixels = (0..<width * height).map { _ in UInt8.random(in: 0...255, using: &random) }
                let expected = naive(pixels, width: width, height: height)
                for vectorised in [true, false] {
                    let got = try integral(pixels, width: width, height: height, vectorised: vectorised)
                    XCTAssertEqual(got.sum, expected.sum, "\(width)x\(height) sums, vectorised \(vectorised)")
                    XCTAssertEqual(got.squares, expected.squares, "\(width)x\(height) squares, vectorised \(vectorised)")
                }
            }
        }
    }

    /// A white image large enough that the squared sums pass 2^32: both kernels wrap as OpenCV's ints do.
    func testSquaredSumsWrapModulo2To32() throws {
        let width = 301, height = 300
        let pixels = [UInt8](repeating: 255, count: width * height)
        for vectorised in [true, false] {
            let got = try integral(pixels, width: width, height: height, vectorised: vectorised)
            for (x, y) in [(width, height), (width, 1), (1, height), (150, 200), (8, 9)] {
                let count = UInt64(x * y)
                XCTAssertEqual(got.sum[y * (width + 1) + x], Int32(truncatingIfNeeded: count * 255))
                XCTAssertEqual(got.squares[y * (width + 1) + x], Int32(truncatingIfNeeded: count * 65025), "(\(x), \(y))")
            }
        }
    }

    func testAnEmptyImageIsRefused() {
        var sum = [Int32](repeating: 0, count: 4), squares = sum
        XCTAssertNotEqual(cvs_integral(nil, 1, 1, &sum, &squares, 1), 0)
        XCTAssertNotEqual(cvs_integral([1], 0, 1, &sum, &squares, 1), 0)
    }
}
