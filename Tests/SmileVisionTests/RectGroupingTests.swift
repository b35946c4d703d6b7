import CCVShim
import XCTest
@testable import SmileVision

/// Our window grouping (`cvs_group_rectangles` engine 1) against OpenCV's `cv::groupRectangles`
/// and `cv::partition` (engine 0): the same clusters, numbered alike, the same kept boxes and counts.
final class RectGroupingTests: XCTestCase {
    /// Boxes as (x, y, width, height).
    typealias Box = (Int, Int, Int, Int)

    /// The kept boxes with their counts, and each input box's cluster label, by `engine`.
    private func grouped(_ boxes: [Box], threshold: Int, engine: Int32) -> (kept: [[Int32]], labels: [Int32]) {
        let flat = boxes.flatMap { [Int32($0.0), Int32($0.1), Int32($0.2), Int32($0.3)] }
        var out = [Int32](repeating: -7, count: max(5 * boxes.count, 1))
        var labels = [Int32](repeating: -7, count: max(boxes.count, 1))
        var kept: Int32 = -1
        XCTAssertEqual(cvs_group_rectangles(flat, Int32(boxes.count), Int32(threshold), engine, &out, &kept, &labels), 0)
        return ((0..<Int(kept)).map { Array(out[5 * $0..<5 * $0 + 5]) }, Array(labels.prefix(boxes.count)))
    }

    private func assertSameAsOpenCV(_ boxes: [Box], thresholds: [Int] = [0, 1, 2, 3, 5, 8], _ what: String) {
        for threshold in thresholds {
            let reference = grouped(boxes, threshold: threshold, engine: 0)
            let ours = grouped(boxes, threshold: threshold, engine: 1)
            XCTAssertEqual(ours.labels, reference.labels, "\(what): cluster labels")
            XCTAssertEqual(ours.kept, reference.kept, "\(what), threshold \(threshold): kept boxes")
        }
    }

    /// A deterministic generator of crowd-like windows: clusters of jittered boxes around "faces"
    /// of 24-200 px (some faces inside others, some clusters of one or two), and stray windows.
    private func crowd(seed: UInt64, faces: Int, strays: Int) -> [Box] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var boxes: [Box] = []
        var centres: [(Int, Int, Int)] = []
        for face in 0..<faces {
            var side = 24 + next(176), cx = next(1200), cy = next(900)
            if face % 5 == 4, let outer = centres.last {  // a small face inside the previous one
                side = max(24, outer.2 / 3)
                cx = outer.0 + next(max(outer.2 / 4, 1)) - outer.2 / 8
                cy = outer.1 + next(max(outer.2 / 4, 1)) - outer.2 / 8
            }
            centres.append((cx, cy, side))
            for _ in 0..<(1 + next(12)) {
                let s = side + next(side / 4 + 1) - side / 8
                boxes.append((cx - s / 2 + next(s / 5 + 1) - s / 10, cy - s / 2 + next(s / 5 + 1) - s / 10, s, s))
            }
        }
        for _ in 0..<strays {
            let s = 24 + next(100)
            boxes.append((next(1200) - 20, next(900) - 20, s, s + next(3) - 1))
        }
        // Interleaved, as the scan's levels interleave faces.
        var shuffled = boxes
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, next(i + 1)) }
        return shuffled
    }

    func testCrowdsOfWindowsGroupAsOpenCVGroupsThem() {
        for seed: UInt64 in 1...40 {
            assertSameAsOpenCV(crowd(seed: seed, faces: 1 + Int(seed % 90), strays: Int(seed * 7 % 60)), "seed \(seed)")
        }
    }

    func testEdgeCases() {
        assertSameAsOpenCV([], "no boxes")
        assertSameAsOpenCV([(10, 10, 30, 30)], "one box")
        assertSameAsOpenCV(Array(repeating: (5, 6, 40, 40), count: 7), "the same box seven times")
        // All on one left edge (the sorted search then compares every pair), chains of boxes each
        // similar only to its neighbours, and negative coordinates.
        assertSameAsOpenCV((0..<60).map { (100, 3 * $0, 30 + $0 % 4, 30) }, "one column")
        assertSameAsOpenCV((0..<40).map { (-20 + 4 * $0, -10 + $0 % 3, 40, 40) }, "a chain")
        // Nested clusters of every support around the "inside" rule's n1 < 3 and max(3, n1) edges.
        for inner in 1...5 {
            for outer in 1...6 {
                let boxes = Array(repeating: (100, 100, 100, 100), count: outer) + Array(repeating: (120, 120, 40, 40), count: inner)
                assertSameAsOpenCV(boxes, thresholds: [0, 1, 2], "\(inner) inside \(outer)")
            }
        }
    }

    /// The raw windows of a real scan, grouped both ways.
    func testRawWindowsOfAPhotoGroupAsOpenCVGroupsThem() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        parameters.scaleFactor = 1.05
        let raw = try cascade.detect(in: photo, parameters: parameters)
        XCTAssertGreaterThan(raw.count, 20)
        assertSameAsOpenCV(raw.map { ($0.rect.x, $0.rect.y, $0.rect.width, $0.rect.height) }, "astronaut")
    }
}
