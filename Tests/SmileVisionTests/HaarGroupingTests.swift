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

    func testGroupingRefusesABadImageSize() throws {
        XCTAssertThrowsError(try HaarCascade.group([], minNeighbours: 1, width: 0, height: 10))
        XCTAssertEqual(try HaarCascade.group([], minNeighbours: 1, width: 10, height: 10).count, 0)
    }
}
