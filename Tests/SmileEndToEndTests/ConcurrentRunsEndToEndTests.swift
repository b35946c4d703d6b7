import Foundation
import XCTest

/// One writer per output: a second run on the same table or folder is refused with the first's
/// process id and changes nothing; runs on other outputs are not held up.
final class ConcurrentRunsEndToEndTests: XCTestCase {
    func testASecondRunOnTheSameOutputsIsRefusedAndChangesNothing() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for index in 0..<200 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("p\(index).jpg").path) }
        let table = work.appendingPathComponent("t.csv"), out = work.appendingPathComponent("out")

        let first = Process()
        first.executableURL = EndToEnd.binary
        first.arguments = ["annotate", photos.path, "--out", out.path, "--csv", table.path, "--model", model.path]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // Wait until the first run holds its outputs and has written a row.
        while first.isRunning, ((try? String(contentsOf: table, encoding: .utf8)) ?? "").filter({ $0 == "\n" }).count < 2 { usleep(2_000) }
        XCTAssertTrue(first.isRunning, "the first run must still be running for the test to mean anything")

        let sameTable = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("other").path,
                                          "--csv", table.path, "--model", model.path])
        let sameFolder = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", out.path,
                                           "--csv", work.appendingPathComponent("t2.csv").path, "--model", model.path])
        let elsewhere = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("free").path, "--model", model.path])
        first.waitUntilExit()

        for refused in [sameTable, sameFolder] {
            XCTAssertEqual(refused.status, 1, refused.err)
            XCTAssertTrue(refused.err.contains("another smile run (process \(first.processIdentifier))"), refused.err)
        }
        XCTAssertEqual(elsewhere.status, 0, elsewhere.err)
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("other/astronaut.jpg").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("t2.csv").path))
        let rows = EndToEnd.parseCSV(try String(contentsOf: table, encoding: .utf8)).dropFirst()
        XCTAssertEqual(rows.count, 200, "every photo of the first run once, nothing of the others")
        XCTAssertEqual(Set(rows.map { ($0[0] as NSString).lastPathComponent }).count, 200)

        // The lock goes with the process: the same outputs are free again.
        let again = try EndToEnd.run(["annotate", photos.path, "--out", out.path, "--csv", table.path, "--resume", "--model", model.path])
        XCTAssertEqual(again.status, 0, again.err)
    }
}
