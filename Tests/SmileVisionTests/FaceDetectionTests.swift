import XCTest
@testable import SmileVision

/// The frontal face cascade on the committed sample photo.
final class FaceDetectionTests: XCTestCase {
    func testAstronautHasOneFaceWhereExpected() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var params = HaarCascade.Parameters()
        params.scaleFactor = 1.1
        params.minNeighbours = 5
        let faces = try cascade.detect(in: image, parameters: params)
        XCTAssertEqual(faces.count, 1, "faces: \(faces.map(\.rect))")
        guard let face = faces.first?.rect else { return }
        let expected = Rect(x: 177, y: 67, width: 93, height: 93)
        XCTAssertEqual(face.x, expected.x, accuracy: 4)
        XCTAssertEqual(face.y, expected.y, accuracy: 4)
        XCTAssertEqual(face.width, expected.width, accuracy: 4)
        XCTAssertEqual(face.height, expected.height, accuracy: 4)
        XCTAssertGreaterThanOrEqual(faces[0].neighbours, 5)
    }

    func testGrayInputGivesSameBoxes() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        let fromBGR = try cascade.detect(in: image).map(\.rect)
        let fromGray = try cascade.detect(in: image.grayscale()).map(\.rect)
        XCTAssertEqual(fromBGR, fromGray)
    }

    func testLevelWeightsAreReported() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath, gray: true)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var params = HaarCascade.Parameters()
        params.levelWeights = true
        let faces = try cascade.detect(in: image, parameters: params)
        let face = Rect(x: 177, y: 67, width: 93, height: 93)
        XCTAssertTrue(faces.contains { $0.rect.intersectionOverUnion(face) > 0.7 && $0.weight > 0 },
                      "detections: \(faces)")
    }

    func testMinAndMaxSizeFilterBoxes() throws {
        let image = try ImageCodec.decode(file: TestSupport.astronautPath)
        let cascade = try HaarCascade(path: CascadeLocator.locate(CascadeLocator.frontalFace))
        var params = HaarCascade.Parameters()
        params.maxSize = 60
        XCTAssertTrue(try cascade.detect(in: image, parameters: params).allSatisfy { $0.rect.width <= 60 })
        params.maxSize = 0
        params.minSize = 120
        XCTAssertTrue(try cascade.detect(in: image, parameters: params).allSatisfy { $0.rect.width >= 120 })
    }

    func testBadCascadeFilesThrow() throws {
        let dir = try TestSupport.tempDir(self)
        XCTAssertThrowsError(try HaarCascade(path: dir.appendingPathComponent("missing.xml").path)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .cascade)
        }
        let junk = try TestSupport.write(Array("<opencv_storage>nope</opencv_storage>".utf8), "junk.xml", in: dir)
        XCTAssertThrowsError(try HaarCascade(path: junk)) {
            XCTAssertEqual(($0 as? VisionError)?.kind, .cascade)
            XCTAssertTrue(($0 as? VisionError)?.message.contains("junk.xml") ?? false)
        }
    }
}

private func XCTAssertEqual(_ a: Int, _ b: Int, accuracy: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThanOrEqual(abs(a - b), accuracy, "\(a) is not within \(accuracy) of \(b)", file: file, line: line)
}
