import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// The zoom study on `samples/astronaut.jpg` with the tiny untrained model.
final class ZoomStudyTests: XCTestCase {
    func testScalesAreGeometricFromOne() {
        let scales = ZoomStudy(steps: 14, smallestScale: 0.04).scales
        XCTAssertEqual(scales.count, 14)
        XCTAssertEqual(scales.first!, 1, accuracy: 1e-12)
        XCTAssertEqual(scales.last!, 0.04, accuracy: 1e-12)
        XCTAssertEqual(scales[1] / scales[0], scales[13] / scales[12], accuracy: 1e-9)
    }

    func testCanvasKeepsSizeAndFillsWithTheMeanColour() {
        var photo = Image(width: 10, height: 10, channels: 1, filledWith: 0)
        for i in 0..<50 { photo.pixels[i] = 200 }   // top half 200, bottom 0: mean 100
        let (canvas, placed) = ZoomStudy.canvas(photo, scale: 0.5)
        XCTAssertEqual(canvas.width, 10)
        XCTAssertEqual(placed, Rect(x: 2, y: 2, width: 5, height: 5))
        XCTAssertEqual(canvas[0, 0, 0], 100)
        XCTAssertEqual(canvas[9, 9, 0], 100)
        XCTAssertEqual(canvas[4, 2, 0], 200, "the shrunk photo's top is inside")
    }

    func testAstronautFaceFoundWhenLargeAndLostWhenTiny() throws {
        let pipeline = try Fixtures.tinyPipeline()
        let result = try ZoomStudy(steps: 14, smallestScale: 0.04).run(photo: try ImageCodec.decode(file: Fixtures.astronaut),
                                                                       pipeline: pipeline)
        XCTAssertEqual(result.steps.count, 14)
        XCTAssertNotNil(result.steps[0].detected, "face found at full size")
        XCTAssertNotNil(result.steps[1].detected)
        XCTAssertNil(result.steps.last!.detected, "a 4 px face is below the cascade's 24 px window")
        XCTAssertEqual(result.steps[0].facePixels, 93, accuracy: 8)
        XCTAssertLessThan(result.steps.last!.facePixels, 6)
        XCTAssertEqual(result.steps[0].facePixelsAtInput, Double(result.steps[0].facePixels) * 32 / 512, accuracy: 0.01)
        let rows = result.csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.count, 15)
        XCTAssertEqual(rows[0].joined(separator: ","), "step,scale,canvas_w,canvas_h,face_px,face_px_at_input,p_without_detection,smiling_without_detection,face_found,x,y,w,h,p_with_detection,smiling_with_detection,false_detections")
        XCTAssertTrue(rows.allSatisfy { $0.count == 16 })
        XCTAssertEqual(rows[14][8], "0")
        let with = try XCTUnwrap(result.smallestWorkingWithDetection)
        XCTAssertNotNil(with.detected, "the smallest working step with detection must have found the face")
        XCTAssertGreaterThanOrEqual(with.facePixels, 20)
        XCTAssertNotNil(result.smallestWorkingWithoutDetection)
        XCTAssertTrue(result.answer.contains("with detection: same verdict"), result.answer)
        XCTAssertEqual(result.reportStudy.series.count, 2)
    }
}
