import Foundation
import XCTest

/// Files in an input folder that are not photos by their extension are counted at the end of the
/// run, and listed with --verbose; hidden files (locks, .DS_Store) are not counted.
final class SkippedFilesEndToEndTests: XCTestCase {
    func testNotPhotosAreCountedAndListedWithVerbose() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let folder = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("2024"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: folder.appendingPathComponent("a.jpg").path)
        for name in ["scan.jp2", "2024/notes.txt", ".DS_Store"] {
            try Data("x".utf8).write(to: folder.appendingPathComponent(name))
        }

        let quiet = try EndToEnd.run(["annotate", folder.path, "--csv", work.path + "/a.csv", "--model", model.path])
        XCTAssertEqual(quiet.status, 0, quiet.err)
        XCTAssertTrue(quiet.err.contains("2 files skipped as not photos (--verbose lists them)"), quiet.err)
        XCTAssertFalse(quiet.err.contains("scan.jp2"), quiet.err)

        let verbose = try EndToEnd.run(["annotate", folder.path, "--csv", work.path + "/b.csv", "--model", model.path, "--verbose"])
        XCTAssertEqual(verbose.status, 0, verbose.err)
        for name in ["scan.jp2", "2024/notes.txt"] {
            XCTAssertTrue(verbose.err.contains("skipped (not a photo by its extension): \(folder.path)/\(name)"), verbose.err)
        }
        XCTAssertFalse(verbose.err.contains(".DS_Store"), verbose.err)
        XCTAssertTrue(verbose.err.contains("2 files skipped as not photos\n"), verbose.err)
    }
}
