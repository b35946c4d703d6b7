import Foundation
import XCTest
@testable import SmileKit

/// Stage timings count the running thread's CPU time beside the wall time, and the summary says which it gives.
final class StageTimingsTests: XCTestCase {
    /// Sleeping is wall time but no CPU time of the thread; spinning is both.
    func testThreadTimeLeavesOutTimeTheThreadDidNotRun() {
        let sleeping = StageStopwatch()
        usleep(60_000)
        let slept = sleeping.elapsed
        XCTAssertGreaterThanOrEqual(slept.wall, 0.06)
        XCTAssertLessThan(slept.thread, 0.02, "asleep, the thread used no CPU: \(slept)")

        let spinning = StageStopwatch()
        var x = 0.0
        while spinning.elapsed.thread < 0.03 { x += 1 }
        let spun = spinning.elapsed
        XCTAssertGreaterThan(x, 0)
        XCTAssertGreaterThanOrEqual(spun.thread, 0.03)
        XCTAssertGreaterThanOrEqual(spun.wall, spun.thread * 0.999, "a thread cannot run longer than the wall clock: \(spun)")
    }

    /// Another thread's work does not count in this thread's CPU time, while waiting for it does count as wall time.
    func testAnotherThreadsWorkIsNotCounted() {
        let stopwatch = StageStopwatch()
        let done = DispatchSemaphore(value: 0)
        Thread {
            let own = StageStopwatch()
            var x = 0.0
            while own.elapsed.thread < 0.05 { x += 1 }
            _ = x
            done.signal()
        }.start()
        done.wait()
        let waited = stopwatch.elapsed
        XCTAssertGreaterThanOrEqual(waited.wall, 0.05)
        XCTAssertLessThan(waited.thread, 0.02, "the waiting thread did not do the work: \(waited)")
    }

    func testSummaryGivesTheClockAskedFor() {
        var timings = StageTimings()
        timings.images = 2
        timings.faces = 4
        timings.detect = StageTime(wall: 0.3, thread: 0.1)
        timings.classify = StageTime(wall: 0.08, thread: 0.02)
        XCTAssertEqual(timings.perImageSummary(threadCPU: true),
                       "detect 50.0 ms, classify 10.0 ms per image (5.0 ms per face; CPU time of each stage's thread)")
        XCTAssertEqual(timings.perImageSummary(threadCPU: false),
                       "detect 150.0 ms, classify 40.0 ms per image (20.0 ms per face; wall time, stages overlapping)")
        XCTAssertEqual(StageTimings().perImageSummary(threadCPU: true), "no images")
    }
}
