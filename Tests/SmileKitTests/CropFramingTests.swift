import SmileKit
import SmileVision
import XCTest

final class CropFramingTests: XCTestCase {
    func testMarginEnlargesAboutTheCentre() {
        let rect = CropFraming(margin: 0.1).cropRect(around: Rect(x: 100, y: 50, width: 100, height: 100))
        XCTAssertEqual(rect, Rect(x: 90, y: 40, width: 120, height: 120))
    }

    func testZeroMarginIsTheBoxAndShiftMovesDown() {
        XCTAssertEqual(CropFraming(margin: 0).cropRect(around: Rect(x: 3, y: 4, width: 40, height: 40)), Rect(x: 3, y: 4, width: 40, height: 40))
        XCTAssertEqual(CropFraming(margin: 0, verticalShift: 0.25).cropRect(around: Rect(x: 0, y: 0, width: 40, height: 40)),
                       Rect(x: 0, y: 10, width: 40, height: 40))
    }

    func testRelativeBoxRoundTripAndMedian() {
        let box = RelativeBox(Rect(x: 10, y: 20, width: 30, height: 30), inWidth: 100, height: 200)
        XCTAssertEqual(box.rect(width: 100, height: 200), Rect(x: 10, y: 20, width: 30, height: 30))
        let median = RelativeBox.median([RelativeBox(x: 0.1, y: 0.1, width: 0.5, height: 0.5), RelativeBox(x: 0.3, y: 0.2, width: 0.7, height: 0.6),
                                         RelativeBox(x: 0.2, y: 0.9, width: 0.6, height: 0.4)])
        XCTAssertEqual(median, RelativeBox(x: 0.2, y: 0.2, width: 0.6, height: 0.5))
        XCTAssertNil(RelativeBox.median([]))
    }
}
