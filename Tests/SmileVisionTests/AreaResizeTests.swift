import CCVShim
import XCTest

/// Our area resize (`cvs_resize_area` engines 1 and 2) against OpenCV's `cv::resize` with
/// INTER_AREA (engine 0), pixel for pixel, over the shrinks detection makes and odd ones.
final class AreaResizeTests: XCTestCase {
    private func resized(_ pixels: [UInt8], _ width: Int, _ height: Int, to size: (Int, Int), engine: Int32) -> [UInt8] {
        var out = [UInt8](repeating: 77, count: size.0 * size.1)
        XCTAssertEqual(cvs_resize_area(pixels, Int32(width), Int32(height), &out, Int32(size.0), Int32(size.1), engine), 0)
        return out
    }

    /// Noise over a gradient, with runs of black and white (the rounding extremes) and flat patches
    /// (whose sums land on exact halves).
    private func picture(_ width: Int, _ height: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<width * height).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let x = i % width, y = i / width
            if (x / 7 + y / 5) % 11 == 0 { return (x + y) % 2 == 0 ? 0 : 255 }
            if (x / 13 + y / 3) % 7 == 0 { return 128 }
            return UInt8(truncatingIfNeeded: Int(state >> 56))
        }
    }

    /// Working copies (1080p frames to a 1600 px side; a photo shrunk 2.5 times), ratios just above 1, large
    /// ones, one whole-number axis, and tiny images.
    private let sizePairs: [((Int, Int), (Int, Int))] = [
        ((1920, 1080), (1600, 900)), ((2000, 1545), (800, 618)), ((1024, 791), (1000, 772)), ((641, 359), (640, 358)),
        ((333, 251), (100, 75)), ((999, 13), (400, 7)), ((40, 30), (20, 14)), ((40, 30), (13, 30)), ((17, 3), (5, 2)),
        ((25, 25), (24, 24)), ((9, 9), (1, 1)), ((7, 5), (3, 1)), ((300, 200), (299, 1)), ((64, 64), (63, 17)),
    ]

    func testShrinksMatchOpenCV() {
        for (index, (source, target)) in sizePairs.enumerated() {
            let pixels = picture(source.0, source.1, seed: UInt64(index + 1))
            let reference = resized(pixels, source.0, source.1, to: target, engine: 0)
            for engine: Int32 in [1, 2] {
                let ours = resized(pixels, source.0, source.1, to: target, engine: engine)
                let wrong = zip(ours, reference).filter { $0 != $1 }.count
                XCTAssertEqual(wrong, 0, "\(source) -> \(target), engine \(engine): \(wrong) pixels differ")
            }
        }
    }

    /// Sizes it leaves to OpenCV (whole-number ratios, enlarging) still come out as OpenCV's.
    func testOtherSizesFallBackToOpenCV() {
        for (source, target) in [((40, 30), (20, 15)), ((40, 30), (40, 30)), ((30, 20), (45, 33)), ((60, 60), (20, 20))] {
            let pixels = picture(source.0, source.1, seed: 3)
            XCTAssertEqual(resized(pixels, source.0, source.1, to: target, engine: 1),
                           resized(pixels, source.0, source.1, to: target, engine: 0), "\(source) -> \(target)")
        }
    }
}
