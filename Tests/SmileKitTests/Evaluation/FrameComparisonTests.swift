import Foundation
import XCTest
@testable import SmileKit

/// `smile compare-frames`: reference faces matched frame by frame.
final class FrameComparisonTests: XCTestCase {
    /// A frames-table row with a face (`x` nil: the row of a frame without faces).
    private func row(_ frame: Int, _ x: Int?, size: Int = 40) -> [String] {
        guard let x else { return [String(frame), "clip.mp4", "", "", "", "", "", "", "", "", "", "", ""] }
        return [String(frame), "clip.mp4", "", "0", String(x), "10", String(size), String(size), "0.5", "1", "1", "0.5", "0"]
    }

    func testCountsFoundMissedExtraAndMissingFrames() throws {
        let reference = [row(0, 10), row(0, 100), row(1, 10), row(2, 10, size: 100), row(3, 10)]
        // Frame 0: one of two found; frame 1: found shifted by 5 px (IoU 0.78); frame 2: shifted too far
        // (IoU < 0.5) and an extra face; frame 3 missing from the candidate.
        let candidate = [row(0, 10), row(1, 15), row(2, 70, size: 100), row(2, 300)]
        let c = try FrameComparison(reference: reference, candidate: candidate, referenceName: "r", candidateName: "c")
        XCTAssertEqual(c.statistics.images, 3)
        XCTAssertEqual(c.statistics.overall.truths, 4)
        XCTAssertEqual(c.statistics.overall.matched, 2)
        XCTAssertEqual(c.statistics.overall.falseDetections, 2)
        XCTAssertEqual(c.framesMissing, 1)
        XCTAssertEqual(c.facesInMissingFrames, 1)
        XCTAssertEqual(c.recall, 2.0 / 5.0, accuracy: 1e-12)
        XCTAssertEqual(c.statistics.byBucket[.from32To64]?.truths, 3)
        XCTAssertEqual(c.statistics.byBucket[.from64To128]?.truths, 1, "frame 2: its face is 100 px")
        XCTAssertEqual(c.statistics.byBucket[.atLeast128]?.truths, 0)
    }

    func testFramesWithoutFacesAndIdenticalTablesGiveFullRecall() throws {
        let table = [row(0, nil), row(1, 10), row(2, nil)]
        let c = try FrameComparison(reference: table, candidate: table, referenceName: "r", candidateName: "c")
        XCTAssertEqual(c.recall, 1)
        XCTAssertEqual(c.statistics.overall.falseDetections, 0)
    }

    func testAFileThatIsNotAFramesTableIsNamed() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("faces.csv")
        try "image,face,x\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FrameComparison(referenceFile: bad, candidateFile: bad)) { error in
            XCTAssertTrue("\(error)".contains("faces.csv"), "\(error)")
            XCTAssertTrue("\(error)".contains("not a smile frames table"), "\(error)")
        }
    }
}
