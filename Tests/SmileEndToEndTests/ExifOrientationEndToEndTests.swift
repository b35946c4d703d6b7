import Foundation
import SmileVision
import XCTest

/// A phone-style JPEG stored sideways with an EXIF orientation tag is read upright by `smile annotate`.
final class ExifOrientationEndToEndTests: XCTestCase {
    /// An APP1 Exif segment (big-endian TIFF) holding only Orientation = `value`.
    private func exifSegment(orientation value: UInt16) -> [UInt8] {
        var tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]
        tiff += [0x00, 0x01]
        tiff += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]
        tiff += [UInt8(value >> 8), UInt8(value & 0xFF), 0x00, 0x00]
        tiff += [0x00, 0x00, 0x00, 0x00]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    func testSidewaysPhotoWithOrientationTagIsReadUpright() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        let n = Double(photo.width)  // square, 512
        // Stored turned 90 degrees counter-clockwise (pixel (x, y) -> (y, n-1-x)); orientation 6 tells a
        // viewer to turn it 90 degrees clockwise to display it upright.
        let sideways = photo.warpedAffine([0, 1, 0, -1, 0, n - 1], width: photo.height, height: photo.width)
        let jpeg = try ImageCodec.encode(sideways, as: .jpeg(quality: 95))
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try Data(Array(jpeg.prefix(2)) + exifSegment(orientation: 6) + Array(jpeg.dropFirst(2)))
            .write(to: photos.appendingPathComponent("tagged.jpg"))
        try Data(jpeg).write(to: photos.appendingPathComponent("untagged.jpg"))
        let out = work.appendingPathComponent("out")
        let result = try EndToEnd.run(["annotate", photos.path, "--out", out.path,
                                       "--model", try EndToEnd.tinyModelFile(in: work).path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8)).dropFirst()
        let tagged = rows.filter { $0[0].hasSuffix("tagged.jpg") && !$0[0].hasSuffix("untagged.jpg") }
        XCTAssertEqual(tagged.count, 1, "one face in the tagged photo: \(rows)")
        if let row = tagged.first {
            XCTAssertEqual(Int(row[2])!, 177, accuracy: 8)
            XCTAssertEqual(Int(row[3])!, 67, accuracy: 8)
            XCTAssertEqual(Int(row[4])!, 93, accuracy: 8)
        }
        XCTAssertTrue(rows.filter { $0[0].hasSuffix("untagged.jpg") && !$0[1].isEmpty }.isEmpty, "the same pixels without the tag show no upright face")
    }
}
