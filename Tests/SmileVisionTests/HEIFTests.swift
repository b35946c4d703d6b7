import Foundation
import XCTest
@testable import SmileVision

/// HEIC and AVIF photos, written by the test through libheif's encoders (skipped with a message
/// where this machine's libheif has none) and read back through the tool's decoder.
final class HEIFTests: XCTestCase {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/astronaut.jpg").path

    func encodeOrSkip(_ image: Image, avif: Bool, orientation: Int = 1) throws -> [UInt8] {
        do { return try ImageCodec.encodeHEIF(image, avif: avif, quality: 90, orientation: orientation) } catch let error as VisionError where error.kind == .unsupported {
            throw XCTSkip("cannot write \(avif ? "AVIF" : "HEIC") here (\(error.message)): skipping")
        }
    }

    /// Mean absolute difference per channel value of two images of one size.
    func meanDifference(_ a: Image, _ b: Image) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.pixels.count)
    }

    /// `image` turned 90 degrees clockwise, by naive loops (the reference).
    func turnedClockwise(_ image: Image) -> Image {
        var out = Image(width: image.height, height: image.width, channels: image.channels)
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<image.channels {
                    // (x, y) goes to (height - 1 - y, x).
                    out.pixels[(x * out.width + (image.height - 1 - y)) * image.channels + c] = image.pixels[(y * image.width + x) * image.channels + c]
                }
            }
        }
        return out
    }

    func testHEICAndAVIFDecodeToThePhoto() throws {
        let photo = try ImageCodec.decode(file: Self.sample)
        for avif in [false, true] {
            let bytes = try encodeOrSkip(photo, avif: avif)
            let decoded = try ImageCodec.decode(data: bytes)
            XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [photo.width, photo.height, 3])
            XCTAssertLessThan(meanDifference(decoded, photo), 6, avif ? "AVIF" : "HEIC")
            let gray = try ImageCodec.decode(data: bytes, gray: true)
            XCTAssertEqual(gray.channels, 1)
        }
    }

    /// A phone photo taken sideways: the file's rotation (orientation 6, 90 degrees clockwise) is applied.
    func testTheFilesRotationIsApplied() throws {
        let photo = try ImageCodec.decode(file: Self.sample)
        let bytes = try encodeOrSkip(photo, avif: false, orientation: 6)
        let decoded = try ImageCodec.decode(data: bytes)
        let expected = turnedClockwise(photo)
        XCTAssertEqual([decoded.width, decoded.height], [expected.width, expected.height])
        XCTAssertLessThan(meanDifference(decoded, expected), 6)
        XCTAssertGreaterThan(meanDifference(decoded, photo), 20, "the unturned photo differs")
    }

    func testBadHEIFIsNamedAndTooLargeIsRefusedBeforeDecoding() throws {
        let photo = try ImageCodec.decode(file: Self.sample)
        let bytes = try encodeOrSkip(photo, avif: false)
        XCTAssertThrowsError(try ImageCodec.decode(data: Array(bytes.prefix(bytes.count / 2)))) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .corrupt, "\($0)")
        }
        XCTAssertThrowsError(try ImageCodec.decode(data: bytes, maxPixels: 1000)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .tooLarge, "\($0)")
        }
    }
}
