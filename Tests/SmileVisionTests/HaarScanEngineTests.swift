import XCTest
@testable import SmileVision

/// Our Haar scan against OpenCV's: the same raw windows in the same order, and the same grouped boxes.
final class HaarScanEngineTests: XCTestCase {
    /// OpenCV's raw windows come out in scan order only on one thread (several threads interleave stripes).
    override func setUp() {
        super.setUp()
        setOpenCVThreadCount(1)
    }

    /// Detections of `image` by `cascade` with each engine.
    private func detections(_ cascade: HaarCascade, _ image: Image, _ parameters: HaarCascade.Parameters,
                            engine: HaarCascade.ScanEngine) throws -> [Detection] {
        try cascade.setScanEngine(engine)
        return try cascade.detect(in: image, parameters: parameters)
    }

    /// Asserts that both of our engines give exactly OpenCV's detections (boxes, order, neighbour counts).
    private func assertSameAsOpenCV(_ cascade: HaarCascade, _ image: Image, _ parameters: HaarCascade.Parameters,
                                    _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try detections(cascade, image, parameters, engine: .opencv)
        for engine in [HaarCascade.ScanEngine.smile, .smileScalar, .smilePortable] {
            let ours = try detections(cascade, image, parameters, engine: engine)
            XCTAssertEqual(ours.map(\.rect), reference.map(\.rect), "\(engine) boxes, \(what)", file: file, line: line)
            XCTAssertEqual(ours.map(\.neighbours), reference.map(\.neighbours), "\(engine) neighbours, \(what)",
                           file: file, line: line)
        }
    }

    private func frontal() throws -> HaarCascade {
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        XCTAssertEqual(cascade.scanEngine, .smile, "new frontal cascades should scan with our engine")
        return cascade
    }

    /// With no grouping (0 neighbours) detectMultiScale returns every raw window: a strict, ordered comparison.
    func testRawWindowsMatchOpenCVOnTheSamplePhoto() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try frontal()
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        for equalize in [false, true] {
            parameters.equalize = equalize
            let raw = try detections(cascade, image, parameters, engine: .opencv)
            XCTAssertGreaterThan(raw.count, 20, "the sample photo should give many raw windows")
            try assertSameAsOpenCV(cascade, image, parameters, "raw windows, equalize \(equalize)")
        }
    }

    /// With several OpenCV threads our scan splits each level into bands of rows; the windows and their
    /// order must stay those of the one-thread scan.
    func testSeveralThreadsGiveTheSameWindowsInTheSameOrder() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true).resized(width: 640, height: 360)
        let cascade = try frontal()
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        let reference = try detections(cascade, image, parameters, engine: .opencv)
        setOpenCVThreadCount(2)
        defer { setOpenCVThreadCount(1) }
        let ours = try detections(cascade, image, parameters, engine: .smile)
        XCTAssertGreaterThan(reference.count, 5)
        XCTAssertEqual(ours.map(\.rect), reference.map(\.rect))
    }

    func testGroupedBoxesMatchOpenCVAcrossSettings() throws {
        let photo = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try frontal()
        let sizes = [(512, 512), (640, 360), (333, 251), (97, 131), (25, 25), (24, 40)]
        for (width, height) in sizes {
            let image = photo.resized(width: width, height: height)
            for (scaleFactor, minSize, maxSize) in [(1.1, 0, 0), (1.05, 30, 0), (1.3, 0, 120), (2.5, 0, 0), (1.2, 48, 200)] {
                var parameters = HaarCascade.Parameters()
                parameters.scaleFactor = scaleFactor
                parameters.minSize = minSize
                parameters.maxSize = maxSize
                parameters.minNeighbours = 1
                try assertSameAsOpenCV(cascade, image, parameters,
                                       "\(width)x\(height), scale \(scaleFactor), sizes \(minSize)-\(maxSize)")
            }
        }
    }

    /// Noise and flat images exercise the flat-window rule (OpenCV skips windows of too little variance).
    func testNoiseFlatAndGradientImagesMatchOpenCV() throws {
        let cascade = try frontal()
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        parameters.equalize = false
        let images = [
            TestSupport.noise(width: 211, height: 157, channels: 1, seed: 7),
            TestSupport.gradient(width: 180, height: 120, channels: 1),
            Image(width: 90, height: 70, channels: 1, pixels: [UInt8](repeating: 128, count: 90 * 70)),
        ]
        for (index, image) in images.enumerated() {
            try assertSameAsOpenCV(cascade, image, parameters, "synthetic image \(index)")
        }
    }

    /// The other stump-based cascades the tool may load (eyes) scan the same too; tree cascades stay with OpenCV.
    func testOtherCascadesEitherMatchOrStayWithOpenCV() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        var parameters = HaarCascade.Parameters()
        parameters.minNeighbours = 0
        for name in [CascadeLocator.eye, CascadeLocator.profileFace] {
            let cascade = try HaarCascade(path: CascadeLocator.locate(name))
            if cascade.scanEngine == .smile {
                try assertSameAsOpenCV(cascade, image, parameters, name)
            } else {
                XCTAssertThrowsError(try cascade.setScanEngine(.smile), "\(name): our scan cannot read it")
            }
        }
        let tree = try HaarCascade(path: CascadeLocator.locate("haarcascade_frontalface_alt2.xml"))
        XCTAssertEqual(tree.scanEngine, .opencv, "a tree cascade (two splits per weak classifier) stays with OpenCV")
    }
}
