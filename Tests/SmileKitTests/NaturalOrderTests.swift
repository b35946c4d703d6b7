import SmileKit
import XCTest

final class NaturalOrderTests: XCTestCase {
    func testDigitRunsCompareByValue() {
        let names = ["frame10.png", "frame2.png", "Frame1.png", "frame002b.png", "a.png", "frame2a.png"]
        XCTAssertEqual(names.sorted(by: naturalOrder), ["a.png", "Frame1.png", "frame2.png", "frame2a.png", "frame002b.png", "frame10.png"])
    }
}
