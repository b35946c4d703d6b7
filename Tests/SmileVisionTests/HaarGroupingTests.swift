import XCTest
@testable import SmileVision

/// `HaarCascade.group` against `detect` itself: one scan's raw windows grouped at a threshold are
/// the boxes a scan with that many neighbours gives.
final class HaarGroupingTests: XCTestCase {
    func testGroupingRawWindowsGivesTheBoxesOfAScanWithThatThreshold() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        // The photo whole, at a video size, and shifted so the face is cut by the left and top edges.
        let shifted = photo.warpedAffine([1, 0, -200, 0, 1, -90], width: 400, height: 300)
        for image in [photo, photo.resized(width: 640, height: 360), shifted] {
            for engine in [HaarCascade.ScanEngine.opencv, .smile] {
                try cascade.setScanEngine(engine)
                var parameters = HaarCascade.Parameters()
                parameters.minNeighbours = 0
                let raw = try cascade.detect(in: image, parameters: parameters)
                XCTAssertGreaterThanOrEqual(raw.count, 5, "raw windows on the face")
                for threshold in [1, 3, 5] {
                    parameters.minNeighbours = threshold
                    let scanned = try cascade.detect(in: image, parameters: parameters)
                    let grouped = try HaarCascade.group(raw, minNeighbours: threshold, width: image.width, height: image.height)
                    XCTAssertEqual(grouped.map(\.rect), scanned.map(\.rect), "\(engine) \(image.width)x\(image.height), \(threshold) neighbours")
                    XCTAssertEqual(grouped.map(\.neighbours), scanned.map(\.neighbours))
                }
            }
        }
    }

    /// At 0 neighbours every cluster comes back: each raw window in exactly one, the clusters of two
    /// windows or more as grouping at 1 gives them (where none lies inside another).
    func testGroupingAtZeroGivesEveryClusterASingleWindowIncluded() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        for image in [photo, photo.resized(width: 640, height: 360)] {
            var parameters = HaarCascade.Parameters()
            parameters.minNeighbours = 0
            let raw = try cascade.detect(in: image, parameters: parameters)
            let clusters = try HaarCascade.group(raw, minNeighbours: 0, width: image.width, height: image.height)
            XCTAssertEqual(clusters.map(\.neighbours).reduce(0, +), raw.count, "every window in one cluster")
            XCTAssertTrue(clusters.contains { $0.neighbours == 1 }, "single windows are clusters too")
            XCTAssertLessThan(clusters.count, raw.count, "windows are grouped")
            let atOne = try HaarCascade.group(raw, minNeighbours: 1, width: image.width, height: image.height)
            for box in atOne {
                XCTAssertTrue(clusters.contains { $0.rect == box.rect && $0.neighbours == box.neighbours }, "\(box)")
            }
            let single = try HaarCascade.group([raw[0]], minNeighbours: 0, width: image.width, height: image.height)
            XCTAssertEqual(single.map(\.rect), [raw[0].rect])
        }
    }

    func testGroupingRefusesABadImageSize() throws {
        XCTAssertThrowsError(try HaarCascade.group([], minNeighbours: 1, width: 0, height: 10))
        XCTAssertEqual(try HaarCascade.group([], minNeighbours: 1, width: 10, height: 10).count, 0)
    }
}
