import Foundation
import SmileVision
import XCTest

/// A sideways phone photo saved as HEIC (pixels stored turned, the file saying to turn them back)
/// and the same photo as AVIF in a folder: annotate finds the face where it is in the JPEG.
final class HEIFEndToEndTests: XCTestCase {
    func testSidewaysHEICAndAVIFAreAnnotatedUpright() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        var stored = photo
        for _ in 0..<3 { stored = Self.turnedClockwise(stored) }  // the sensor's view: turned counter-clockwise
        let folder = work.appendingPathComponent("phone")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try Data(try ImageCodec.encodeHEIF(stored, avif: false, quality: 90, orientation: 6)).write(to: folder.appendingPathComponent("IMG_0001.HEIC"))
            try Data(try ImageCodec.encodeHEIF(photo, avif: true, quality: 90)).write(to: folder.appendingPathComponent("shot.avif"))
        } catch let error as VisionError where error.kind == .unsupported {
            throw XCTSkip("cannot write HEIC or AVIF here (\(error.message)): skipping")
        }
        let csv = work.appendingPathComponent("faces.csv")
        let result = try EndToEnd.run(["annotate", folder.path, "--csv", csv.path, "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8)).dropFirst()
        XCTAssertEqual(rows.map { ($0[0] as NSString).lastPathComponent }, ["IMG_0001.HEIC", "shot.avif"])
        for row in rows {
            // The JPEG's face: 178,67 92x92.
            let box = row[2...5].compactMap { Int($0) }
            XCTAssertEqual(box.count, 4, "a face in \(row[0])")
            guard box.count == 4 else { continue }
            XCTAssertEqual(Double(box[0]), 178, accuracy: 8, "\(row)")
            XCTAssertEqual(Double(box[1]), 67, accuracy: 8, "\(row)")
            XCTAssertEqual(Double(box[2]), 92, accuracy: 8, "\(row)")
        }
    }

    static func turnedClockwise(_ image: Image) -> Image {
        var out = Image(width: image.height, height: image.width, channels: image.channels)
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<image.channels {
                    out.pixels[(x * out.width + (image.height - 1 - y)) * image.channels + c] = image.pixels[(y * image.width + x) * image.channels + c]
                }
            }
        }
        return out
    }
}
