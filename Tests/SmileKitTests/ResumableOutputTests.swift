import SmileKit
import XCTest

/// The pieces behind `--resume`, `--force` and safe walking: RowFile.resuming, OutputSafety, ImageInputs.
final class ResumableOutputTests: XCTestCase {
    func testResumingKeepsWholeRowsAndCutsAPartialOne() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("t.csv")
        try Data("a,b\n1,\"x\ny\"\n2,z\n3,cut-sh".utf8).write(to: url)
        let (file, rows) = try RowFile.resuming(url: url, header: "a,b\n")
        XCTAssertEqual(rows, [["1", "x\ny"], ["2", "z"]])
        try file.append("3,w\n")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "a,b\n1,\"x\ny\"\n2,z\n3,w\n")
    }

    func testResumingAMissingFileStartsIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("new.csv")
        let (_, rows) = try RowFile.resuming(url: url, header: "a,b\n")
        XCTAssertEqual(rows, [])
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "a,b\n")
    }

    func testResumingAnotherTableIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("other.csv")
        try Data("x,y\n1,2\n".utf8).write(to: url)
        XCTAssertThrowsError(try RowFile.resuming(url: url, header: "a,b\n")) { XCTAssertTrue("\($0)".contains("other.csv"), "\($0)") }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "x,y\n1,2\n", "left untouched")
    }

    func testOutputDirectoryInsideAnInputDirectoryIsRefusedUnlessForced() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let photos = directory.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for out in [photos, photos.appendingPathComponent("annotated/deeper"), URL(fileURLWithPath: photos.path + "/./x/..")] {
            XCTAssertThrowsError(try OutputSafety.checkOutputDirectory(out, inputs: [photos.path], option: "--out", force: false), out.path) {
                XCTAssertTrue("\($0)".contains("--force"), "\($0)")
            }
            XCTAssertNoThrow(try OutputSafety.checkOutputDirectory(out, inputs: [photos.path], option: "--out", force: true))
        }
        XCTAssertNoThrow(try OutputSafety.checkOutputDirectory(directory.appendingPathComponent("photos-out"), inputs: [photos.path],
                                                               option: "--out", force: false), "a sibling whose name starts alike is fine")
        // Through a symlink to the input directory.
        let link = directory.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: photos.path)
        XCTAssertThrowsError(try OutputSafety.checkOutputDirectory(link.appendingPathComponent("out"), inputs: [photos.path], option: "--out", force: false))
    }

    func testSymlinkLoopIsReportedOnceAndSkipped() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sub = directory.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data([1]).write(to: sub.appendingPathComponent("p.jpg"))
        try Data([1]).write(to: directory.appendingPathComponent("q.png"))
        try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("up").path, withDestinationPath: "../..")
        let (items, failures) = ImageInputs.collect([directory.path])
        XCTAssertEqual(items.map(\.relativeName), ["a/b/p.jpg", "q.png"])
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures.first?.reason.contains("symlink loop") ?? false, "\(failures)")
    }
}
