import Foundation
import XCTest

/// `smile-bench photos` runs and prints one row per photo and the summary; the figures are not checked.
final class BenchPhotosEndToEndTests: XCTestCase {
    func testPrintsARowPerPhotoAndTheOneMegapixelSummary() throws {
        let dir = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: dir.appendingPathComponent("a.jpg").path)
        try Data("not a photo".utf8).write(to: dir.appendingPathComponent("b.jpg"))
        let result = try EndToEnd.runBench(["photos", dir.path, "--repeats", "1", "--warmup", "0", "--compare-full"])
        XCTAssertEqual(result.status, 1, "one photo could not be read: \(result.err)")
        XCTAssertTrue(result.out.contains("coarse-to-fine pyramid search"), result.out)
        guard let row = result.out.split(separator: "\n").first(where: { $0.hasPrefix("| a.jpg ") }) else { return XCTFail(result.out) }
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(cells.count, 11, String(row))
        XCTAssertEqual(cells[2], "1", "the astronaut's face: \(row)")
        XCTAssertEqual(cells[9], "1", "the full search finds it too: \(row)")
        XCTAssertNotNil(Double(cells[7]), "total ms: \(row)")
        XCTAssertTrue(result.out.contains("photos of up to 1 MP: 1;"), result.out)
        XCTAssertTrue(result.out.contains("against the full search"), result.out)
        XCTAssertTrue(result.out.contains("ms per photo of up to 1 MP"), "the mean: \(result.out)")
        XCTAssertTrue(result.out.contains("where the time goes: not fitted"), "one photo cannot split pixels from faces: \(result.out)")
        XCTAssertTrue(result.err.contains("b.jpg"), "the bad photo is named: \(result.err)")
    }

    /// `--clock cpu` times process CPU time and says so; another clock is refused.
    func testCPUClockIsNamedAndOtherClocksRefused() throws {
        let result = try EndToEnd.runBench(["photos", EndToEnd.astronaut, "--repeats", "1", "--warmup", "0", "--clock", "cpu"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("median ms of process CPU time"), result.out)
        XCTAssertTrue(result.out.contains("photos of up to 1 MP: 1;"), result.out)
        let refused = try EndToEnd.runBench(["photos", EndToEnd.astronaut, "--clock", "sundial"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("--clock must be wall or cpu"), refused.err)
    }
}
