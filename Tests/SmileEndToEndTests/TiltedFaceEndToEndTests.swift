import Foundation
import SmileKit
import SmileVision
import XCTest

/// `smile annotate --angles` on a tilted face: the table gives its angle and the copy shows a turned box.
final class TiltedFaceEndToEndTests: XCTestCase {
    func testTiltedFaceHasItsAngleInTheTablesAndATurnedBox() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        // The sample photo turned 30 degrees counter-clockwise about the astronaut's face, on an 800x800 canvas.
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        let face = (x: 177.0 + 46, y: 67.0 + 46)
        let turned = photo.warpedAffine(Image.rotationMatrix(center: face, degrees: 30, dx: 400 - face.x, dy: 400 - face.y),
                                        width: 800, height: 800)
        let input = work.appendingPathComponent("tilted.png")
        try Data(try ImageCodec.encode(turned, as: .png)).write(to: input)
        let out = work.appendingPathComponent("out"), json = work.appendingPathComponent("faces.json")

        let result = try EndToEnd.run(["annotate", input.path, "--out", out.path, "--json", json.path, "--angles", "-30,30", "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)

        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first?.last, "angle")
        let near = rows.dropFirst().filter { row in
            guard let x = Double(row[2]), let y = Double(row[3]), let w = Double(row[4]) else { return false }
            return hypot(x + w / 2 - 400, y + w / 2 - 400) < 25
        }
        XCTAssertEqual(near.count, 1, "the turned face is found once: \(rows)")
        guard let row = near.first, let angle = Double(row[8]) else { return XCTFail("no angle in \(rows)") }
        XCTAssertEqual(angle, 30, accuracy: 8, "the face turned 30 degrees counter-clockwise has angle about +30")
        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [[String: Any]]
        let faces = records?.first?["faces"] as? [[String: Any]]
        XCTAssertTrue(faces?.contains { ($0["angle"] as? Double) == angle } ?? false, "the JSON has the same angle: \(faces ?? [])")

        // The copy has the box turned by the angle: its turned top edge is drawn, the upright box's corner is not.
        let box = Rect(x: Int(row[2])!, y: Int(row[3])!, width: Int(row[4])!, height: Int(row[5])!)
        let annotated = try ImageCodec.decode(file: out.appendingPathComponent("tilted.png").path)
        func change(_ x: Int, _ y: Int) -> Int { (0..<3).map { abs(Int(annotated[x, y, $0]) - Int(turned[x, y, $0])) }.max()! }
        let corners = DetectionGeometry.tiltedCorners(of: box, angle: angle)
        let topMiddle = (x: Int(((corners[0].x + corners[1].x) / 2).rounded()), y: Int(((corners[0].y + corners[1].y) / 2).rounded()))
        XCTAssertGreaterThan(change(topMiddle.x, topMiddle.y), 60, "the turned top edge is drawn at \(topMiddle)")
        XCTAssertEqual(change(box.x + 1, box.y + 1), 0, "the upright box's corner is not drawn")
    }
}
