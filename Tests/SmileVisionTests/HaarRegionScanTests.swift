import XCTest
@testable import SmileVision

/// The region scan against the whole-image scan: exactly the raw windows inside the regions, in the
/// same order, and the same grouped faces where a face's windows all lie inside a region.
final class HaarRegionScanTests: XCTestCase {
    /// OpenCV's raw windows come out in scan order only on one thread.
    override func setUp() {
        super.setUp()
        setOpenCVThreadCount(1)
    }

    private func frontal() throws -> HaarCascade {
        try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
    }

    /// The sample photo at 640x360, 0-neighbour parameters, and OpenCV's raw windows in it.
    private func videoFrameWithRawWindows() throws -> (HaarCascade, Image, HaarCascade.Parameters, [Rect]) {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true).resized(width: 640, height: 360)
        let cascade = try frontal()
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        try cascade.setScanEngine(.opencv)
        return (cascade, image, parameters, try cascade.detect(in: image, parameters: parameters).map(\.rect))
    }

    /// Whether `box` lies inside `region`.
    private func inside(_ box: Rect, _ region: Rect) -> Bool {
        box.x >= region.x && box.y >= region.y && box.x + box.width <= region.x + region.width
            && box.y + box.height <= region.y + region.height
    }

    /// Regions of an image: corners and edges (touching the borders), the middle, a thin strip, one
    /// reaching past the image, and overlapping groups.
    private func regionSets(width w: Int, height h: Int) -> [[Rect]] {
        [
            [Rect(x: 0, y: 0, width: w / 2, height: h / 2)],
            [Rect(x: w / 2, y: h / 2, width: w - w / 2, height: h - h / 2)],
            [Rect(x: w / 5, y: h / 7, width: w / 2 + 3, height: h / 2 + 5)],
            [Rect(x: 0, y: h / 3, width: w, height: 40)],
            [Rect(x: -20, y: -10, width: w / 3 + 20, height: h + 30)],
            [Rect(x: w / 4, y: h / 4, width: w / 3, height: h / 3), Rect(x: w / 3, y: h / 3, width: w / 3, height: h / 3),
             Rect(x: w / 4 + 7, y: h / 5, width: w / 5, height: h / 2)],
            [Rect(x: 3, y: 5, width: w / 4, height: h / 4), Rect(x: w - w / 3 - 1, y: h / 2, width: w / 3, height: h / 3)],
            [Rect(x: 0, y: 0, width: w, height: h)],
        ]
    }

    /// With 0 neighbours (raw windows) and 1, every engine's region scan equals OpenCV's whole-image
    /// raw windows filtered to the regions (grouped for 1 neighbour).
    func testRegionWindowsAreTheWholeScansWindowsInsideTheRegions() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try frontal()
        for (width, height) in [(photo.width, photo.height), (640, 360), (333, 251)] {
            let image = photo.resized(width: width, height: height)
            for equalize in [false, true] {
                var parameters = HaarCascade.Parameters()
                parameters.equalize = equalize
                parameters.minNeighbours = 0
                try cascade.setScanEngine(.opencv)
                let raw = try cascade.detect(in: image, parameters: parameters).map(\.rect)
                XCTAssertGreaterThan(raw.count, 2)
                for regions in regionSets(width: width, height: height) {
                    let what = "\(width)x\(height), equalize \(equalize), regions \(regions)"
                    let expected = raw.filter { box in regions.contains { inside(box, $0) } }
                    for minNeighbours in [0, 1] {
                        parameters.minNeighbours = minNeighbours
                        try cascade.setScanEngine(.opencv)
                        let reference = try cascade.detect(in: image, parameters: parameters, regions: regions)
                        if minNeighbours == 0 { XCTAssertEqual(reference.map(\.rect), expected, "OpenCV filter, \(what)") }
                        for engine in [HaarCascade.ScanEngine.smile, .smileScalar, .smilePortable] {
                            try cascade.setScanEngine(engine)
                            let ours = try cascade.detect(in: image, parameters: parameters, regions: regions)
                            XCTAssertEqual(ours.map(\.rect), reference.map(\.rect), "\(engine), \(minNeighbours) nb, \(what)")
                            XCTAssertEqual(ours.map(\.neighbours), reference.map(\.neighbours), "\(engine), \(what)")
                        }
                    }
                }
            }
        }
    }

    /// Regions whose left edge moves a pixel at a time across the face: row segments start at every
    /// column, so whether their first window is looked at (OpenCV's skip rule) is tested everywhere.
    func testRegionEdgesAtEveryColumnKeepTheSkipRule() throws {
        let (cascade, image, parameters, raw) = try videoFrameWithRawWindows()
        let xs = raw.map(\.x)
        guard let low = xs.min(), let high = xs.max() else { return XCTFail("no raw windows") }
        for engine in [HaarCascade.ScanEngine.smile, .smilePortable] {
            try cascade.setScanEngine(engine)
            for left in stride(from: low - 3, through: high + 1, by: 1) {
                let regions = [Rect(x: left, y: 0, width: 640 - left, height: 360)]
                let ours = try cascade.detect(in: image, parameters: parameters, regions: regions).map(\.rect)
                XCTAssertEqual(ours, raw.filter { inside($0, regions[0]) }, "\(engine), left edge \(left)")
            }
        }
    }

    /// Min and max sizes drop levels but keep the whole scan's scales.
    func testSizeLimitsKeepTheWholeScansScales() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true).resized(width: 640, height: 360)
        let cascade = try frontal()
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        parameters.minSize = 40
        parameters.maxSize = 150
        try cascade.setScanEngine(.opencv)
        let raw = try cascade.detect(in: image, parameters: parameters).map(\.rect)
        let regions = [Rect(x: 150, y: 20, width: 300, height: 260)]
        try cascade.setScanEngine(.smile)
        let ours = try cascade.detect(in: image, parameters: parameters, regions: regions).map(\.rect)
        XCTAssertFalse(ours.isEmpty)
        XCTAssertEqual(ours, raw.filter { inside($0, regions[0]) })
    }

    /// Per-region size ranges keep, in each region, only the windows of its sizes.
    func testPerRegionSidesKeepOnlyThoseSizes() throws {
        let (cascade, image, parameters, raw) = try videoFrameWithRawWindows()
        let regions = [Rect(x: 100, y: 0, width: 400, height: 300), Rect(x: 200, y: 30, width: 300, height: 330)]
        let sides = [30...60, 55...200]
        let expected = raw.filter { box in regions.indices.contains { inside(box, regions[$0]) && sides[$0].contains(box.width) } }
        XCTAssertFalse(expected.isEmpty)
        for engine in [HaarCascade.ScanEngine.opencv, .smile, .smileScalar] {
            try cascade.setScanEngine(engine)
            let ours = try cascade.detect(in: image, parameters: parameters, regions: regions, sides: sides).map(\.rect)
            XCTAssertEqual(ours, expected, "\(engine)")
        }
    }

    /// A face whose raw windows all lie inside a region (the face's box grown by one side each way)
    /// comes out of the region scan as the whole-image scan gives it.
    func testFacesWellInsideARegionMatchTheWholeScan() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try frontal()
        var checked = 0
        for (width, height) in [(photo.width, photo.height), (640, 360), (333, 251)] {
            let image = photo.resized(width: width, height: height)
            var parameters = HaarCascade.Parameters()
            parameters.minNeighbours = 0
            let raw = try cascade.detect(in: image, parameters: parameters).map(\.rect)
            for minNeighbours in [1, 3, 5] {
                parameters.minNeighbours = minNeighbours
                let whole = try cascade.detect(in: image, parameters: parameters)
                for face in whole {
                    let b = face.rect
                    let region = Rect(x: b.x - b.width, y: b.y - b.height, width: 3 * b.width, height: 3 * b.height)
                    // Only faces whose overlapping raw windows all lie inside the region qualify.
                    guard raw.allSatisfy({ $0.intersection(b) == nil || inside($0, region) }) else { continue }
                    let local = try cascade.detect(in: image, parameters: parameters, regions: [region])
                    XCTAssertTrue(local.contains { $0.rect == b && $0.neighbours == face.neighbours },
                                  "\(width)x\(height), \(minNeighbours) nb: \(face) not in \(local)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 3, "some faces should qualify")
    }
}
