import SmileKit
import SmileVision
import XCTest

/// A huge photo is searched on a downscaled copy and its boxes are mapped back.
final class LargeImageDetectionTests: XCTestCase {
    func testFaceIsFoundInTheRightPlaceOfAHugeUpscaledPhoto() throws {
        let photo = try ImageCodec.decode(file: Fixtures.astronaut)
        let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade())
        let small = try XCTUnwrap(try detector.detect(in: photo).first, "the sample has a face")
        let factor = 18  // 512 -> 9216 pixels a side: 85 million pixels, shrunk to 1600 for detection
        let huge = photo.resized(width: photo.width * factor, height: photo.height * factor)
        let boxes = try detector.detect(in: huge)
        let box = try XCTUnwrap(boxes.first, "the face is still found (the largest box; small false faces may join it)")
        let tolerance = Double(small.width * factor) * 0.15
        XCTAssertEqual(Double(box.x), Double(small.x * factor), accuracy: tolerance)
        XCTAssertEqual(Double(box.y), Double(small.y * factor), accuracy: tolerance)
        XCTAssertEqual(Double(box.width), Double(small.width * factor), accuracy: tolerance)
        XCTAssertEqual(Double(box.height), Double(small.height * factor), accuracy: tolerance)
    }
}
