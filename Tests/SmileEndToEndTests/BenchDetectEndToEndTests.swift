import Foundation
import XCTest

/// `smile-bench detect` runs and prints its table; the figures themselves are not checked here.
final class BenchDetectEndToEndTests: XCTestCase {
    func testPrintsOneRowPerSizeWithMachineAndPeakMemory() throws {
        let result = try EndToEnd.runBench(["detect", "--image", EndToEnd.astronaut, "--repeats", "1", "--warmup", "0",
                                       "--sizes", "320x180,240x240"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("machine: "), result.out)
        XCTAssertTrue(result.out.contains("peak RSS: "), result.out)
        let rows = result.out.split(separator: "\n").filter { $0.hasPrefix("| 320x180 ") || $0.hasPrefix("| 240x240 ") }
        XCTAssertEqual(rows.count, 2, result.out)
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(cells.count, 5, String(row))
            XCTAssertEqual(cells[1], "1", "one OpenCV thread by default: \(row)")
            XCTAssertNotNil(Double(cells[3]), "median ms: \(row)")
            XCTAssertNotNil(Double(cells[4]), "min ms: \(row)")
        }
    }

    /// With --compare-opencv each row also times OpenCV's scan and gives the ratio; both find the same faces.
    func testComparesWithOpenCVsScan() throws {
        let result = try EndToEnd.runBench(["detect", "--image", EndToEnd.astronaut, "--repeats", "1", "--warmup", "0",
                                       "--sizes", "320x180", "--compare-opencv"])
        XCTAssertEqual(result.status, 0, result.err)
        guard let row = result.out.split(separator: "\n").first(where: { $0.hasPrefix("| 320x180 ") }) else {
            return XCTFail(result.out)
        }
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(cells.count, 8, String(row))
        XCTAssertNotNil(Double(cells[5]), "OpenCV's median ms: \(row)")
        XCTAssertNotNil(Double(cells[7]), "ratio (faces differ would follow the number): \(row)")
    }

    func testRejectsMalformedSizes() throws {
        let result = try EndToEnd.runBench(["detect", "--sizes", "640by360"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("--sizes"), result.err)
    }
}
