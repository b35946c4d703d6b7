import SmileVision
import XCTest
@testable import SmileKit

/// Photos are histogram-equalised only when dim or flat (`FaceDetector+Equalization.swift`).
final class EqualizationTests: XCTestCase {
    /// The astronaut in gray, and the same with every level scaled down to `factor` (a dim photo).
    private func astronaut(dimmedTo factor: Double = 1) throws -> Image {
        var gray = try ImageCodec.decode(file: Fixtures.astronaut).grayscale()
        gray.pixels = gray.pixels.map { UInt8((Double($0) * factor).rounded(.down)) }
        return gray
    }

    /// The spread against a plain reference: the k-th smallest pixels, k = ceil(n x fraction).
    func testMiddleGraySpreadMatchesSortedPercentiles() throws {
        var generator = SystemRandomNumberGenerator()
        for (width, height) in [(1, 1), (7, 3), (64, 48), (101, 77)] {
            for range in [0...255, 90...110, 0...40] {
                let pixels = (0..<width * height).map { _ in UInt8(Int.random(in: range, using: &generator)) }
                let image = Image(width: width, height: height, channels: 1, pixels: pixels)
                let sorted = pixels.sorted()
                func kth(_ fraction: Double) -> Int { Int(sorted[max(Int((Double(sorted.count) * fraction).rounded(.up)), 1) - 1]) }
                XCTAssertEqual(image.middleGraySpread(), kth(0.95) - kth(0.05), "\(width)x\(height), \(range)")
            }
        }
    }

    func testOnlyDimOrFlatPhotosAreEqualised() throws {
        let bright = try astronaut(), dim = try astronaut(dimmedTo: 0.3)
        XCTAssertGreaterThanOrEqual(bright.middleGraySpread(), FaceDetector.lowContrastSpread)
        XCTAssertLessThan(dim.middleGraySpread(), FaceDetector.lowContrastSpread)
        var settings = FaceDetector.Settings()
        let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: settings)
        XCTAssertTrue(detector.equalizes(bright), "video: always")
        XCTAssertTrue(detector.equalizes(dim))
        settings.equalizeOnlyLowContrast = true
        detector.settings = settings
        XCTAssertFalse(detector.equalizes(bright), "a well-lit photo")
        XCTAssertTrue(detector.equalizes(dim), "a dim photo")
        settings.equalize = false
        detector.settings = settings
        XCTAssertFalse(detector.equalizes(dim), "--no-equalize")
    }

    /// The faces found follow the choice: a dim photo as if equalised, a bright one as if not.
    func testPhotoFacesAreThoseOfTheChosenSearch() throws {
        let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        func faces(_ image: Image, equalize: Bool, onlyLowContrast: Bool) throws -> [Rect] {
            detector.settings.equalize = equalize
            detector.settings.equalizeOnlyLowContrast = onlyLowContrast
            return try detector.detectFaces(in: image).map(\.box)
        }
        for (image, equalised) in [(try astronaut(), false), (try astronaut(dimmedTo: 0.3), true)] {
            let chosen = try faces(image, equalize: true, onlyLowContrast: true)
            XCTAssertFalse(chosen.isEmpty)
            XCTAssertEqual(chosen, try faces(image, equalize: equalised, onlyLowContrast: false))
        }
    }
}
