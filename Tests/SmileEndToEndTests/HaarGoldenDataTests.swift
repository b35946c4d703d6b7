import Foundation
import SmileKit
import SmileVision
import XCTest

/// The Haar default finds the same faces, in the same order, as the build before YuNet and the
/// one-box-per-face rule (`Golden/haar-faces.csv`: that build's `annotate` boxes on the real
/// photos of ../shared/data), except on photos where two of its boxes are one face by that rule
/// (IoU 0.3 or more, or 0.7 of the smaller inside the larger, alike in size): there one of them is
/// now merged away, and nothing else changes. Needs SMILE_DATA; CI sets it.
final class HaarGoldenDataTests: XCTestCase {
    private struct Face: Equatable, CustomStringConvertible {
        var index: Int
        var box: Rect
        var description: String { "\(index): \(box)" }
    }

    /// Faces by photo (paths relative to the data folder's `realworld/`, or `wild/...`) from an annotate table.
    private func faces(in table: String, root: String) -> [String: [Face]] {
        var result: [String: [Face]] = [:]
        for row in EndToEnd.parseCSV(table).dropFirst() where row.count >= 6 && !row[1].isEmpty {
            var path = row[0]
            for prefix in [root + "/realworld/", root + "/"] where path.hasPrefix(prefix) {
                path = String(path.dropFirst(prefix.count))
                break
            }
            let n = row[1...5].compactMap { Int($0) }
            guard n.count == 5 else { continue }
            result[path, default: []].append(Face(index: n[0], box: Rect(x: n[1], y: n[2], width: n[3], height: n[4])))
        }
        return result
    }

    func testHaarFacesEqualTheGoldenOnesWhereNoTwoBoxesAreOneFace() throws {
        guard let root = EndToEnd.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping the Haar golden test on ../shared/data") }
        let golden = faces(in: try String(contentsOf: EndToEnd.projectRoot.appendingPathComponent("Tests/SmileEndToEndTests/Golden/haar-faces.csv"),
                                          encoding: .utf8), root: root)
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let table = work.appendingPathComponent("faces.csv")
        let sources = ["realworld/groups", "realworld/portraits", "realworld/voc_boxes", "wild"].map { root + "/" + $0 }
        let run = try EndToEnd.run(["annotate"] + sources + ["--csv", table.path, "--detector", "haar"])
        XCTAssertEqual(run.status, 0, run.err)
        let now = faces(in: try String(contentsOf: table, encoding: .utf8), root: root)

        var nested: [String] = []
        for (photo, before) in golden.sorted(by: { $0.key < $1.key }) {
            let after = now[photo] ?? []
            let hasNestedPair = before.indices.contains { i in
                before.indices.contains { j in i != j && NonMaximumSuppression.sameFace(before[i].box, before[j].box,
                    NonMaximumSuppression.defaultIoUThreshold, NonMaximumSuppression.defaultContainment, NonMaximumSuppression.singlePassAreaRatio) }
            }
            if hasNestedPair {
                nested.append(photo)
                XCTAssertTrue(Set(after.map(\.box)).isSubset(of: Set(before.map(\.box))), "\(photo): only boxes merged away, none new: \(after)")
                XCTAssertLessThan(after.count, before.count, "\(photo): the inner box is merged away")
            } else {
                XCTAssertEqual(after, before, "\(photo): the same faces in the same order")
            }
        }
        XCTAssertEqual(Set(now.keys).subtracting(golden.keys), [], "no photo gained faces it had none in")
        XCTAssertLessThanOrEqual(nested.count, 5, "few photos have two boxes on one face: \(nested)")
    }
}
