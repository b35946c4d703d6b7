import Foundation
import XCTest

final class AnnotateEndToEndTests: XCTestCase {
    func testAnnotatesPhotosAndNamesTheCorruptOne() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("astro, \"one\".jpg").path)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("astro2.jpg").path)
        try Data("this is not a JPEG".utf8).write(to: photos.appendingPathComponent("broken.jpg"))
        let out = work.appendingPathComponent("out")

        let result = try EndToEnd.run(["annotate", photos.path, "--out", out.path, "--json", work.appendingPathComponent("faces.json").path,
                                       "--model", model.path])
        XCTAssertEqual(result.status, 1, "a bad input must make the exit status non-zero; stderr: \(result.err)")
        XCTAssertTrue(result.err.contains("broken.jpg"), result.err)
        XCTAssertEqual(result.err.components(separatedBy: "error:").count - 1, 1, "only the broken file is an error: \(result.err)")

        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["image", "face", "x", "y", "w", "h", "p_smile", "smiling", "angle"])
        XCTAssertEqual(rows.count, 3, "one face in each of the two good photos: \(rows)")
        for row in rows.dropFirst() {
            XCTAssertEqual(row.count, 9)
            XCTAssertEqual(row[8], "0", "an upright face without --angles")
            let (x, y, w) = (Int(row[2])!, Int(row[3])!, Int(row[4])!)
            XCTAssertEqual(x, 177, accuracy: 8)
            XCTAssertEqual(y, 67, accuracy: 8)
            XCTAssertEqual(w, 93, accuracy: 8)
            let p = Double(row[6])!
            XCTAssertTrue((0...1).contains(p))
            XCTAssertEqual(row[7], p >= 0.5 ? "1" : "0")
        }
        XCTAssertTrue(rows[1][0].hasSuffix("astro, \"one\".jpg"), "names with commas and quotes survive: \(rows[1][0])")
        for name in ["astro, \"one\".jpg", "astro2.jpg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "annotated \(name)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("faces.json"))) as? [[String: Any]]
        XCTAssertEqual(json?.count, 2)
    }

    func testRefusesToOverwriteAnInput() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photo = work.appendingPathComponent("a.jpg")
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photo.path)
        let before = try Data(contentsOf: photo)
        let result = try EndToEnd.run(["annotate", photo.path, "--out", work.path, "--model", model.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("overwrite an input"), result.err)
        XCTAssertEqual(try Data(contentsOf: photo), before)
    }

    func testHelpTeachesWithExamples() throws {
        for command in [["--help"], ["annotate", "--help"], ["frames", "--help"], ["train", "--help"], ["model", "info", "--help"]] {
            let result = try EndToEnd.run(command)
            XCTAssertEqual(result.status, 0, "\(command)")
            XCTAssertTrue(result.out.contains("smile "), "\(command): \(result.out)")
            XCTAssertTrue(result.out.contains("Example"), "\(command) has an example: \(result.out)")
        }
    }

    func testModelInfoAndAMissingModel() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let info = try EndToEnd.run(["model", "info", model.path])
        XCTAssertEqual(info.status, 0, info.err)
        XCTAssertTrue(info.out.contains("purpose: end-to-end tests"), info.out)
        let missing = try EndToEnd.run(["model", "info", work.appendingPathComponent("nope.safetensors").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("nope.safetensors"), missing.err)
    }
}
