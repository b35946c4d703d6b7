import XCTest
@testable import SmileVision

/// EXIF orientation is applied when decoding files and buffers.
final class ExifOrientationTests: XCTestCase {
    /// A 40x20 JPEG, left half black and right half white, tagged with `orientation`.
    private func taggedJPEG(orientation: UInt16) throws -> [UInt8] {
        var img = Image(width: 40, height: 20, channels: 3)
        for y in 0..<20 { for x in 20..<40 { for c in 0..<3 { img[x, y, c] = 255 } } }
        let jpeg = try ImageCodec.encode(img, as: .jpeg(quality: 95))
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8])
        return Array(jpeg.prefix(2)) + TestSupport.exifSegment(orientation: orientation) + Array(jpeg.dropFirst(2))
    }

    func testOrientation6RotatesClockwise() throws {
        let bytes = try taggedJPEG(orientation: 6)
        let dir = try TestSupport.tempDir(self)
        let path = try TestSupport.write(bytes, "rotated.jpg", in: dir)
        for image in [try ImageCodec.decode(file: path), try ImageCodec.decode(data: bytes),
                      try ImageCodec.decode(file: path, gray: true)] {
            XCTAssertEqual(image.width, 20)
            XCTAssertEqual(image.height, 40)
            // Rotated 90 degrees clockwise: the black left half is now on top.
            XCTAssertLessThan(image[10, 5, 0], 40)
            XCTAssertGreaterThan(image[10, 35, 0], 215)
        }
    }

    func testOrientation1KeepsSize() throws {
        let image = try ImageCodec.decode(data: try taggedJPEG(orientation: 1))
        XCTAssertEqual(image.width, 40)
        XCTAssertEqual(image.height, 20)
    }
}
