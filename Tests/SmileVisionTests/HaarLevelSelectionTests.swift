import XCTest
@testable import SmileVision

/// `HaarCascade.rawWindows` with a level selection against OpenCV's own raw windows: the even and
/// odd levels together are exactly the whole pass's windows, in the whole image and in regions.
final class HaarLevelSelectionTests: XCTestCase {
    /// OpenCV's raw windows come out in scan order only on one thread.
    override func setUp() {
        super.setUp()
        setOpenCVThreadCount(1)
    }

    private let ourEngines: [HaarCascade.ScanEngine] = [.smile, .smileScalar, .smilePortable]

    /// Windows as comparable tuples, sorted (the halves come out level by level, not interleaved).
    private func sorted(_ windows: [Detection]) -> [[Int]] {
        windows.map { [$0.rect.width, $0.rect.y, $0.rect.x, $0.rect.height] }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The sample photo whole, at a video size, and shifted so the face is cut by the image edges.
    private func images() throws -> [Image] {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        return [photo, photo.resized(width: 640, height: 360), photo.warpedAffine([1, 0, -200, 0, 1, -90], width: 400, height: 300)]
    }

    func testEvenAndOddLevelsTogetherAreTheWholePassesRawWindows() throws {
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var evenTotal = 0, oddTotal = 0
        for image in try images() {
            for minSize in [0, 30] {
                var parameters = HaarCascade.Parameters()
                parameters.minNeighbours = 0
                parameters.minSize = minSize
                try cascade.setScanEngine(.opencv)
                let whole = try cascade.detect(in: image, parameters: parameters)
                XCTAssertGreaterThanOrEqual(whole.count, 2, "raw windows on the face")
                for engine in ourEngines {
                    try cascade.setScanEngine(engine)
                    let even = try cascade.rawWindows(in: image, parameters: parameters, levels: .even)
                    let odd = try cascade.rawWindows(in: image, parameters: parameters, levels: .odd)
                    let label = "\(engine) \(image.width)x\(image.height) min \(minSize)"
                    evenTotal += even.count
                    oddTotal += odd.count
                    XCTAssertTrue(Set(even.map(\.rect.width)).isDisjoint(with: odd.map(\.rect.width)), "one level, one size: \(label)")
                    XCTAssertEqual(sorted(even + odd), sorted(whole), label)
                    let all = try cascade.rawWindows(in: image, parameters: parameters, levels: .all)
                    XCTAssertEqual(all.map(\.rect), whole.map(\.rect), "every level, in OpenCV's order: \(label)")
                }
            }
        }
        XCTAssertGreaterThan(evenTotal, 10, "windows on even levels")
        XCTAssertGreaterThan(oddTotal, 10, "windows on odd levels")
    }

    func testOddLevelsInRegionsAreTheOddWindowsInsideTheRegions() throws {
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        let regions = [Rect(x: 150, y: 40, width: 150, height: 150), Rect(x: -10, y: 300, width: 260, height: 230)]
        let sides = [30...120, 24...60]
        for engine in ourEngines {
            try cascade.setScanEngine(engine)
            let odd = try cascade.rawWindows(in: image, parameters: parameters, levels: .odd)
            let expected = odd.filter { w in
                zip(regions, sides).contains { region, side in
                    w.rect.intersection(region) == w.rect && side.contains(w.rect.width)
                }
            }
            XCTAssertFalse(expected.isEmpty, "the face's odd-level windows lie in the first region")
            let found = try cascade.rawWindows(in: image, parameters: parameters, levels: .odd, regions: regions, sides: sides)
            XCTAssertEqual(sorted(found), sorted(expected), "\(engine)")
            XCTAssertEqual(try cascade.rawWindows(in: image, parameters: parameters, levels: .odd, regions: []).count, 0,
                           "no region, no window")
        }
    }

    func testOpenCVsEngineRefusesALevelSelection() throws {
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        try cascade.setScanEngine(.opencv)
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        XCTAssertThrowsError(try cascade.rawWindows(in: image, levels: .even)) { error in
            XCTAssertTrue("\(error)".contains("level selection"), "\(error)")
        }
        XCTAssertFalse(try cascade.rawWindows(in: image, levels: .all).isEmpty)
    }
}
