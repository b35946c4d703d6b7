import Foundation
import XCTest

/// Outputs never land among the inputs unless forced, and inputs are never changed.
final class OutputSafetyEndToEndTests: XCTestCase {
    func testOutputInsideTheInputDirectoryIsRefusedUnlessForced() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("a.jpg").path)
        let before = try BadImageCorpus.snapshot(photos)

        for out in [photos.path, photos.appendingPathComponent("annotated").path] {
            let refused = try EndToEnd.run(["annotate", photos.path, "--out", out, "--model", model.path])
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.err.contains("input directory") && refused.err.contains("--force"), refused.err)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: photos.path), ["a.jpg"], "nothing was written")
        }
        let frames = try EndToEnd.run(["frames", photos.path, "--csv", work.appendingPathComponent("f.csv").path,
                                       "--annotate", photos.appendingPathComponent("annotated").path, "--model", model.path])
        XCTAssertEqual(frames.status, 1)
        XCTAssertTrue(frames.err.contains("--annotate") && frames.err.contains("--force"), frames.err)

        let forced = try EndToEnd.run(["annotate", photos.path, "--out", photos.appendingPathComponent("annotated").path, "--force", "--model", model.path])
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: photos.appendingPathComponent("annotated/a.jpg").path))
        XCTAssertEqual(try BadImageCorpus.snapshot(photos), before, "the input photo is unchanged")

        let csvOnInput = try EndToEnd.run(["annotate", photos.appendingPathComponent("a.jpg").path, "--out", work.appendingPathComponent("o").path,
                                           "--csv", photos.appendingPathComponent("a.jpg").path, "--force", "--model", model.path])
        XCTAssertEqual(csvOnInput.status, 1)
        XCTAssertTrue(csvOnInput.err.contains("would overwrite an input"), csvOnInput.err)
        XCTAssertEqual(try BadImageCorpus.snapshot(photos), before, "even --force never overwrites an input")
    }
}
