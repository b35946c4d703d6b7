import Foundation
import XCTest

/// `smile eval-detection` on the real voc_boxes ground truth (needs SMILE_DATA; CI sets it).
final class EvalDetectionDataTests: XCTestCase {
    func testVocBoxesHave43FacesAndARecallBetweenZeroAndOne() throws {
        guard let root = EndToEnd.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping eval-detection on ../shared/data/realworld/voc_boxes") }
        let dir = (root as NSString).appendingPathComponent("realworld/voc_boxes")
        let r = try EndToEnd.run(["eval-detection", "\(dir)/training.xml", "\(dir)/testing.xml"])
        XCTAssertEqual(r.status, 0, r.err)
        let all = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("all (") }, r.out)
        let fields = all.split(separator: " ").suffix(6).map(String.init)
        XCTAssertEqual(fields[0], "43", "ground-truth boxes: \(all)")
        let recall = try XCTUnwrap(Double(fields[4]))
        XCTAssertGreaterThan(recall, 0)
        XCTAssertLessThan(recall, 1)
    }
}
