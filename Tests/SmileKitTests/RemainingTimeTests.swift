import Foundation
import XCTest
@testable import SmileKit

/// The time left that progress lines show, from the recent pace.
final class RemainingTimeTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_000_000)

    func testSteadyPaceGivesTheTimeLeft() {
        var estimate = RemainingTime()
        for i in 0...10 { estimate.record(label: "annotating", done: i * 2, at: start.addingTimeInterval(Double(i))) }
        // 20 done in 10 s: 2 a second, 80 to go.
        XCTAssertEqual(try XCTUnwrap(estimate.secondsLeft(to: 100)), 40, accuracy: 1e-9)
    }

    func testNoEstimateBeforeAFewSecondsOfProgress() {
        var estimate = RemainingTime()
        estimate.record(label: "a", done: 0, at: start)
        XCTAssertNil(estimate.secondsLeft(to: 10), "one sample")
        estimate.record(label: "a", done: 5, at: start.addingTimeInterval(2))
        XCTAssertNil(estimate.secondsLeft(to: 10), "2 s of progress is not enough")
        estimate.record(label: "a", done: 5, at: start.addingTimeInterval(4))
        XCTAssertNotNil(estimate.secondsLeft(to: 10))
    }

    /// A resumed run skips its finished inputs in a moment; after the window only the real pace counts.
    func testAFastStartIsForgottenAfterTheWindow() {
        var estimate = RemainingTime()
        estimate.window = 30
        estimate.record(label: "annotating", done: 0, at: start)
        estimate.record(label: "annotating", done: 500, at: start.addingTimeInterval(1))
        for second in 2...60 { estimate.record(label: "annotating", done: 500 + (second - 1), at: start.addingTimeInterval(Double(second))) }
        // Now one photo a second with 1000 - 559 = 441 to go.
        XCTAssertEqual(try XCTUnwrap(estimate.secondsLeft(to: 1000)), 441, accuracy: 15)
    }

    func testANewRunStartsAfresh() {
        var estimate = RemainingTime()
        for i in 0...5 { estimate.record(label: "detecting", done: i * 100, at: start.addingTimeInterval(Double(i))) }
        estimate.record(label: "evaluating", done: 0, at: start.addingTimeInterval(6))
        XCTAssertNil(estimate.secondsLeft(to: 10), "the other run's pace is not this one's")
    }

    func testDescribedAsAPersonWouldSayIt() {
        XCTAssertEqual(RemainingTime.describe(2), "5 s")
        XCTAssertEqual(RemainingTime.describe(42), "40 s")
        XCTAssertEqual(RemainingTime.describe(150), "3 min")
        XCTAssertEqual(RemainingTime.describe(3600), "1 h")
        XCTAssertEqual(RemainingTime.describe(3900), "1 h 5 min")
    }

    /// The console's progress line carries the estimate once known, and drops it on the last line.
    func testProgressLineShowsTheTimeLeft() {
        var text = ""
        var clock = start
        let console = RunConsole(showsProgress: true, now: { clock }) { text += $0 }
        for i in 0...10 {
            clock = start.addingTimeInterval(Double(i))
            console.progress("annotating", done: i, total: 70)
        }
        XCTAssertTrue(text.hasSuffix("annotating 10/70, about 1 min left"), text.debugDescription)
        XCTAssertFalse(text.contains("annotating 2/70, about"), "no estimate in the first seconds: \(text.debugDescription)")
        console.progress("annotating", done: 70, total: 70)
        XCTAssertTrue(text.hasSuffix("annotating 70/70\n"), text.debugDescription)
    }
}
