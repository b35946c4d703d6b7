import SmileKit
import SmileNN
import SmileVision
import XCTest

final class PhotoDegradationTests: XCTestCase {
    private func image(_ side: Int, _ value: (Int, Int) -> Int) -> Image {
        Image(width: side, height: side, channels: 1,
              pixels: (0..<(side * side)).map { UInt8(clamping: value($0 % side, $0 / side)) })
    }

    private func variance(_ image: Image) -> Double {
        let values = image.pixels.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    func testDownscalingLosesDetailFinerThanTheSmallSide() {
        // Stripes two pixels wide vanish at 16 px across and come back grey; stripes 16 px wide survive.
        let fine = image(64) { x, _ in (x / 2) % 2 == 0 ? 0 : 255 }
        let coarse = image(64) { x, _ in (x / 16) % 2 == 0 ? 0 : 255 }
        let fineAfter = PhotoDegradation.downscaled(fine, to: 16)
        XCTAssertEqual(fineAfter.width, 64)
        XCTAssertLessThan(variance(fineAfter), 0.01 * variance(fine))
        XCTAssertGreaterThan(variance(PhotoDegradation.downscaled(coarse, to: 16)), 0.7 * variance(coarse))
    }

    func testBlurSpreadsAnImpulseAsAGaussian() {
        let impulse = image(21) { x, y in x == 10 && y == 10 ? 255 : 0 }
        let blurred = PhotoDegradation.blurred(impulse, sigma: 1)
        // The separable kernel's centre weight, by hand: 1 / sum over k in -3...3 of exp(-k^2 / 2).
        let weights: [Double] = (-3...3).map { (k: Int) -> Double in exp(-Double(k * k) / 2) }
        let centre: Double = 1 / weights.reduce(0, +)
        let peak: Double = 255 * centre * centre
        XCTAssertEqual(Double(blurred.pixels[10 * 21 + 10]), peak, accuracy: 1)
        XCTAssertEqual(Double(blurred.pixels[10 * 21 + 11]), peak * exp(-0.5), accuracy: 1)
        XCTAssertEqual(blurred.pixels[0], 0)
        XCTAssertEqual(blurred.pixels.map(Int.init).reduce(0, +), 255, accuracy: 12, "the kernel keeps the total")
    }

    func testGammaMapsMidGreyByThePowerLaw() {
        let grey = image(4) { _, _ in 128 }
        XCTAssertEqual(PhotoDegradation.gammaCorrected(grey, gamma: 2).pixels[0], 64)   // 255 * (128/255)^2 = 64.25
        XCTAssertEqual(PhotoDegradation.gammaCorrected(grey, gamma: 0.5).pixels[0], 181) // 255 * (128/255)^0.5 = 180.7
    }

    func testNoiseHasTheAskedSpread() {
        var rng = SeededRandom(seed: 1)
        let noisy = PhotoDegradation.noisy(image(64) { _, _ in 128 }, sigma: 5, rng: &rng)
        let mean = noisy.pixels.map(Double.init).reduce(0, +) / 4096
        XCTAssertEqual(mean, 128, accuracy: 0.5)
        XCTAssertEqual(variance(noisy).squareRoot(), 5, accuracy: 0.4)
    }

    func testOcclusionPaintsABlockAndLeavesTheMouthAlone() {
        let plain = image(64) { x, y in (x * 3 + y * 5) % 256 }
        var changedSome = 0
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededRandom(seed: seed)
            let occluded = PhotoDegradation.occluded(plain, rng: &rng)
            let changed = (0..<4096).filter { occluded.pixels[$0] != plain.pixels[$0] }
            if !changed.isEmpty { changedSome += 1 }
            for index in changed {
                let x = Double(index % 64) / 64, y = Double(index / 64) / 64
                XCTAssertFalse((0.32...0.68).contains(x) && (0.64...0.88).contains(y), "seed \(seed) hid the mouth at \(index % 64),\(index / 64)")
            }
            XCTAssertLessThanOrEqual(changed.count, Int(0.36 * 64) * Int(0.36 * 64))
        }
        XCTAssertGreaterThan(changedSome, 15)
    }

    func testJPEGRoundTripAddsBlockErrorsButKeepsTheFace() {
        let smooth = image(64) { x, y in 60 + x + y }
        let lossy = PhotoDegradation.jpegRoundTrip(smooth, quality: 10)
        XCTAssertEqual(lossy.width, 64)
        let errors = zip(lossy.pixels, smooth.pixels).map { abs(Int($0) - Int($1)) }
        XCTAssertGreaterThan(errors.filter { $0 > 0 }.count, 100, "quality 10 changes pixels")
        XCTAssertLessThan(Double(errors.reduce(0, +)) / 4096, 8, "but not the picture")
        XCTAssertEqual(PhotoDegradation.jpegRoundTrip(smooth, quality: 100).pixels.count, 4096)
    }

    func testRealPhotoAugmentationIsDeterministicAndDiffersFromStandard() {
        let crop = image(80) { x, y in (x * 7 + y * 13) % 251 }
        func run(_ augmentation: Augmentation, seed: UInt64) -> [Float] {
            var rng = SeededRandom(seed: seed)
            var out = [Float](repeating: 0, count: 64 * 64)
            out.withUnsafeMutableBufferPointer { augmentation.apply(crop, context: 1.25, inputSide: 64, mean: 0, std: 1, rng: &rng, into: $0) }
            return out
        }
        XCTAssertEqual(run(.realPhoto, seed: 5), run(.realPhoto, seed: 5))
        let differing = (0..<20 as Range<UInt64>).filter { run(.realPhoto, seed: $0) != run(.standard, seed: $0) }.count
        XCTAssertGreaterThan(differing, 10, "most crops get some damage")
    }
}
