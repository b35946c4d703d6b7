import CCVShim
import XCTest

/// Our bit-exact pyramid resize (`cvs_resize_linear_exact` engines 1 and 2) against OpenCV's
/// `cv::resize` with INTER_LINEAR_EXACT (engine 0), pixel for pixel, whole levels and bands of rows.
final class HaarPyramidResizeTests: XCTestCase {
    private func resized(_ pixels: [UInt8], _ width: Int, _ height: Int, to size: (Int, Int), rows: Range<Int>? = nil,
                         engine: Int32) -> [UInt8] {
        var out = [UInt8](repeating: 77, count: size.0 * size.1)
        let band = rows ?? 0..<size.1
        let status = cvs_resize_linear_exact(pixels, Int32(width), Int32(height), &out, Int32(size.0), Int32(size.1),
                                             Int32(band.lowerBound), Int32(band.upperBound), engine)
        XCTAssertEqual(status, 0)
        return out
    }

    /// Noise over a gradient, with runs of black and white (the rounding extremes).
    private func picture(_ width: Int, _ height: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<width * height).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Int(state >> 58)
            let x = i % width, y = i / width
            if (x / 7 + y / 5) % 11 == 0 { return (x + y) % 2 == 0 ? 0 : 255 }
            return UInt8(clamping: (x * 255) / max(width, 1) / 2 + (y * 255) / max(height, 1) / 2 + noise - 32)
        }
    }

    /// The size pairs: every pyramid level of several frames at several scale factors, and odd pairs.
    private func sizePairs() -> [((Int, Int), (Int, Int))] {
        var pairs: [((Int, Int), (Int, Int))] = []
        for (w, h) in [(640, 360), (333, 251), (37, 29), (500, 375)] {
            for factor in w < 100 ? [1.1, 1.05, 1.3, 2.5] : [1.1, 1.3, 2.5] {
                var scale = factor
                while Double(h) / scale >= 24 {
                    pairs.append(((w, h), (Int((Double(w) / scale).rounded()), Int((Double(h) / scale).rounded()))))
                    scale *= factor
                }
            }
        }
        pairs += [((25, 25), (24, 24)), ((17, 3), (5, 2)), ((999, 13), (400, 7)), ((40, 30), (20, 15)), ((30, 20), (45, 33))]
        return pairs
    }

    func testWholeLevelsMatchOpenCV() {
        for (index, (source, target)) in sizePairs().enumerated() {
            let pixels = picture(source.0, source.1, seed: UInt64(index))
            let reference = resized(pixels, source.0, source.1, to: target, engine: 0)
            for engine: Int32 in [1, 2] {
                let ours = resized(pixels, source.0, source.1, to: target, engine: engine)
                let wrong = zip(ours, reference).filter { $0 != $1 }.count
                XCTAssertEqual(wrong, 0, "\(source) -> \(target), engine \(engine): \(wrong) pixels differ")
            }
        }
    }

    func testBandsOfRowsMatchTheSameRowsOfTheWholeLevel() {
        let (width, height) = (640, 360)
        let pixels = picture(width, height, seed: 9)
        for target in [(582, 327), (481, 270), (300, 169), (44, 25)] {
            let reference = resized(pixels, width, height, to: target, engine: 0)
            for band in [0..<1, 3..<40, target.1 / 2..<target.1, 0..<target.1] {
                for engine: Int32 in [1, 2] {
                    let ours = resized(pixels, width, height, to: target, rows: band, engine: engine)
                    for y in 0..<target.1 {
                        let row = ours[y * target.0..<(y + 1) * target.0]
                        if band.contains(y) {
                            XCTAssertEqual(Array(row), Array(reference[y * target.0..<(y + 1) * target.0]), "\(target) band \(band) row \(y)")
                        } else {
                            XCTAssertTrue(row.allSatisfy { $0 == 77 }, "\(target) band \(band): row \(y) outside it was written")
                        }
                    }
                }
            }
        }
    }
}
