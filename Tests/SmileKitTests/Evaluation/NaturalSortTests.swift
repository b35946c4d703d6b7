import XCTest
@testable import SmileKit

final class NaturalSortTests: XCTestCase {
    func testNaturalOrder() {
        let names = ["frame10.jpg", "frame2.jpg", "Frame1.jpg", "frame1.jpg", "a1.jpg", "a.jpg", "img7", "img007", "B", "a10b2", "a10b10"]
        XCTAssertEqual(names.naturallySorted(),
                       ["a.jpg", "a1.jpg", "a10b2", "a10b10", "B", "Frame1.jpg", "frame1.jpg", "frame2.jpg", "frame10.jpg", "img007", "img7"])
    }

    func testHugeNumbersDoNotOverflow() {
        XCTAssertTrue(NaturalSort.areInIncreasingOrder("x99999999999999999999999", "x100000000000000000000000"))
        XCTAssertEqual(NaturalSort.compare("same", "same"), 0)
    }
}
