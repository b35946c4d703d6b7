import Foundation
import XCTest
@testable import SmileKit

/// The queue and stage that carry frames between the threads of `smile frames`.
final class BoundedQueueTests: XCTestCase {
    func testValuesArriveInOrderAndTheProducerNeverRunsAheadOfTheCapacity() {
        let queue = BoundedQueue<Int>(capacity: 3)
        let counts = Counts()
        let producer = Thread {
            for i in 0..<200 {
                queue.push(i)
                counts.pushed()
            }
            queue.close()
        }
        producer.start()
        var received: [Int] = []
        while let value = queue.pop() {
            received.append(value)
            counts.popped()
        }
        XCTAssertEqual(received, Array(0..<200))
        // One value may be pushed while another is being counted as popped.
        XCTAssertLessThanOrEqual(counts.maxAhead, 4)
    }

    func testCloseRefusesPushesAndDrainsWhatIsLeft() {
        let queue = BoundedQueue<String>(capacity: 2)
        XCTAssertTrue(queue.push("a"))
        XCTAssertTrue(queue.push("b"))
        queue.close()
        XCTAssertFalse(queue.push("c"))
        XCTAssertEqual(queue.popReady(limit: 5), ["a", "b"])
        XCTAssertNil(queue.pop())
    }

    func testFinishingEarlyStopsTheProducer() {
        let counts = Counts()
        let stage = BackgroundStage<Int>(name: "test", capacity: 2) { emit in
            for i in 0..<1_000_000 {
                counts.pushed()
                guard emit(i) else { return }
            }
        }
        XCTAssertEqual(stage.next(), 0)
        XCTAssertEqual(stage.next(), 1)
        stage.finish()
        // finish() waited for the thread, so the count is settled and far from the end.
        XCTAssertLessThan(counts.pushes, 10)
    }

    func testAStageEndsWithNilAfterItsLastValue() {
        let stage = BackgroundStage<Int>(name: "test", capacity: 1) { emit in
            for i in 0..<5 { guard emit(i) else { return } }
        }
        var values: [Int] = []
        while let v = stage.next() { values.append(v) }
        stage.finish()
        XCTAssertEqual(values, [0, 1, 2, 3, 4])
    }
}

/// Pushes and pops counted across threads.
private final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var pushCount = 0, popCount = 0, ahead = 0

    func pushed() { lock.lock(); pushCount += 1; ahead = max(ahead, pushCount - popCount); lock.unlock() }
    func popped() { lock.lock(); popCount += 1; lock.unlock() }
    var pushes: Int { lock.lock(); defer { lock.unlock() }; return pushCount }
    var maxAhead: Int { lock.lock(); defer { lock.unlock() }; return ahead }
}
