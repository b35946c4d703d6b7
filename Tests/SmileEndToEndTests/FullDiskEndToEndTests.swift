import Foundation
import XCTest

/// A table on a filesystem that fills up part way: the run stops at the failed write naming the
/// file and the reason, the table keeps whole rows only, and `--resume` once space is freed ends
/// with the same bytes as an uninterrupted run. The filesystem is a small tmpfs the test mounts
/// (as root, where mounting is allowed; skipped with a message elsewhere).
final class FullDiskEndToEndTests: XCTestCase {
    func testFullDiskThenResumeGivesTheUninterruptedTable() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let small = work.appendingPathComponent("small-disk")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root: skipping the full-disk test") }
        guard mount("tmpfs", small.path, "tmpfs", 0, "size=64k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (\(String(cString: strerror(errno)))): skipping the full-disk test")
        }
        defer { umount2(small.path, Int32(MNT_DETACH)) }

        let model = try EndToEnd.tinyModelFile(in: work)
        // 48 photos with long names: about 5 KB of rows, more than the one page left for the table.
        let photos = work.appendingPathComponent("photos-of-one-astronaut-taken-on-a-long-day")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for i in 0..<48 {
            try FileManager.default.copyItem(atPath: EndToEnd.astronaut,
                                             toPath: photos.appendingPathComponent(String(format: "portrait-%03d-of-the-series.jpg", i)).path)
        }
        let whole = work.appendingPathComponent("whole.csv")
        let unbroken = try EndToEnd.run(["annotate", photos.path, "--csv", whole.path, "--model", model.path])
        XCTAssertEqual(unbroken.status, 0, unbroken.err)
        let wholeBytes = try Data(contentsOf: whole)
        XCTAssertGreaterThan(wholeBytes.count, 4096)

        // Leave two pages: one for the lock file beside the table, one for the table.
        var info = statvfs()
        XCTAssertEqual(statvfs(small.path, &info), 0)
        let filler = small.appendingPathComponent("filler")
        try Data(count: Int(info.f_bavail) * Int(info.f_frsize) - 8192).write(to: filler)
        let table = small.appendingPathComponent("faces.csv")

        let full = try EndToEnd.run(["annotate", photos.path, "--csv", table.path, "--model", model.path])

        XCTAssertEqual(full.status, 1, "a full disk fails the run: \(full.err)")
        XCTAssertTrue(full.err.contains("\(table.path): write failed: No space left on device"), full.err)
        let partial = try String(contentsOf: table, encoding: .utf8)
        XCTAssertTrue(partial.hasSuffix("\n"), "the table ends at a whole row")
        let rows = EndToEnd.parseCSV(partial)
        XCTAssertTrue(rows.allSatisfy { $0.count == 9 }, "every row is whole")
        XCTAssertGreaterThan(rows.count, 10)
        XCTAssertLessThan(rows.count, 49, "the disk filled before the end")
        XCTAssertTrue(wholeBytes.starts(with: Data(partial.utf8)), "the rows written are the uninterrupted run's first rows")

        try FileManager.default.removeItem(at: filler)
        let resumed = try EndToEnd.run(["annotate", photos.path, "--csv", table.path, "--model", model.path, "--resume"])

        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertEqual(try Data(contentsOf: table), wholeBytes, "after --resume every row is there exactly once, as in one run")
    }
}
