import XCTest
@testable import SmileVision

/// Encoding then decoding gives the image back (exactly for PNG).
final class CodecRoundTripTests: XCTestCase {
    func testPNGIsExact() throws {
        for channels in [1, 3] {
            let img = TestSupport.noise(width: 37, height: 23, channels: channels)
            let back = try ImageCodec.decode(data: try ImageCodec.encode(img, as: .png), gray: channels == 1)
            XCTAssertEqual(back, img)
        }
    }

    func testJPEGIsClose() throws {
        let img = TestSupport.gradient(width: 64, height: 48, channels: 3)
        let bytes = try ImageCodec.encode(img, as: .jpeg(quality: 95))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xFF, 0xD8, 0xFF])
        let back = try ImageCodec.decode(data: bytes)
        XCTAssertEqual([back.width, back.height, back.channels], [64, 48, 3])
        XCTAssertLessThan(TestSupport.meanDiff(back, img), 2)
    }

    func testGrayDecodeOfColourAndColourDecodeOfGray() throws {
        let colour = TestSupport.gradient(width: 16, height: 8, channels: 3)
        let gray = try ImageCodec.decode(data: try ImageCodec.encode(colour, as: .png), gray: true)
        XCTAssertEqual(gray.channels, 1)
        XCTAssertLessThanOrEqual(TestSupport.maxDiff(gray, colour.grayscale()), 1)
        let bgr = try ImageCodec.decode(data: try ImageCodec.encode(gray, as: .png))
        XCTAssertEqual(bgr.channels, 3)
        XCTAssertEqual(bgr, gray.bgr())
    }

    func testFormatForExtension() {
        XCTAssertEqual(ImageCodec.format(forPathExtension: "JPG"), .jpeg(quality: 95))
        XCTAssertEqual(ImageCodec.format(forPathExtension: "jpeg"), .jpeg(quality: 95))
        XCTAssertEqual(ImageCodec.format(forPathExtension: "Png"), .png)
        XCTAssertNil(ImageCodec.format(forPathExtension: "gif"))
    }

    func testSampleDecodes() throws {
        let img = try ImageCodec.decode(file: TestSupport.astronautPath)
        XCTAssertEqual(img.channels, 3)
        XCTAssertEqual(img.pixels.count, img.width * img.height * 3)
        let header = try ImageCodec.headerSize(of: Array(try Data(contentsOf: URL(fileURLWithPath: TestSupport.astronautPath))))
        XCTAssertEqual(header.width, img.width)
        XCTAssertEqual(header.height, img.height)
    }
}
