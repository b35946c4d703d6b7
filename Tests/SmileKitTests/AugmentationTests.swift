import SmileKit
import SmileNN
import SmileVision
import XCTest

final class AugmentationTests: XCTestCase {
    /// A stored crop with a distinct value at every pixel.
    private func pattern(_ side: Int) -> Image {
        Image(width: side, height: side, channels: 1, pixels: (0..<(side * side)).map { UInt8(($0 * 7 + $0 / side * 13) % 251) })
    }

    private func apply(_ augmentation: Augmentation, _ crop: Image, seed: UInt64 = 3) -> [Float] {
        var rng = SeededRandom(seed: seed)
        var out = [Float](repeating: 0, count: 64 * 64)
        out.withUnsafeMutableBufferPointer { augmentation.apply(crop, context: 1.25, inputSide: 64, mean: 0, std: 1, rng: &rng, into: $0) }
        return out
    }

    func testNoAugmentationIsTheCentralFramingRectangle() {
        let crop = pattern(80)
        let out = apply(.none, crop)
        for y in 0..<64 { for x in 0..<64 { XCTAssertEqual(out[y * 64 + x], Float(crop.pixels[(y + 8) * 80 + x + 8]), "at \(x),\(y)") } }
    }

    func testFlipOnlyMirrorsTheCentralRectangle() {
        let crop = pattern(80)
        let flip = Augmentation(shift: 0, zoom: 0, rotationDegrees: 0, horizontalFlip: true, brightness: 0, contrast: 0)
        var mirrored = 0
        for seed in 0..<8 as Range<UInt64> {
            let out = apply(flip, crop, seed: seed)
            let isPlain = (0..<64).allSatisfy { out[10 * 64 + $0] == Float(crop.pixels[18 * 80 + $0 + 8]) }
            let isMirror = (0..<64).allSatisfy { out[10 * 64 + $0] == Float(crop.pixels[18 * 80 + (63 - $0) + 8]) }
            XCTAssertTrue(isPlain || isMirror)
            if isMirror { mirrored += 1 }
        }
        XCTAssertTrue(mirrored > 0 && mirrored < 8, "flip should apply to some crops, not all (\(mirrored)/8)")
    }

    func testSameSeedSameCrop() {
        XCTAssertEqual(apply(.standard, pattern(80), seed: 9), apply(.standard, pattern(80), seed: 9))
        XCTAssertNotEqual(apply(.standard, pattern(80), seed: 9), apply(.standard, pattern(80), seed: 10))
    }
}
