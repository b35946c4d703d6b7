import Foundation

/// A pipeline stage that runs on its own thread and hands its values, in order, through a bounded queue.
///
/// `produce` gets an `emit` function and calls it once per value; `emit` waits while the queue is
/// full and returns false once the consumer has cancelled, and `produce` should then return.
/// The consumer takes values with `next` (or `nextReady`), and must call `finish` (cancelling if it
/// stops early) before the stage is dropped: it closes the queue and waits for the thread to end,
/// so nothing of the stage outlives the run.
public final class BackgroundStage<Output>: @unchecked Sendable {
    private let queue: BoundedQueue<Output>
    private let done = DispatchSemaphore(value: 0)
    private var finished = false

    /// Starts `produce` on a new thread named `name`.
    public init(name: String, capacity: Int, produce: @escaping (_ emit: (Output) -> Bool) -> Void) {
        let queue = BoundedQueue<Output>(capacity: capacity)
        self.queue = queue
        let done = self.done
        let thread = Thread {
            produce { queue.push($0) }
            queue.close()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// The next value, waiting for it; nil when the producer has ended and every value was taken.
    public func next() -> Output? { queue.pop() }

    /// Up to `limit` more values that are ready now, without waiting.
    public func nextReady(limit: Int) -> [Output] { queue.popReady(limit: limit) }

    /// Stops the producer at its next `emit` (values not yet taken are dropped) and waits for its thread to end.
    public func finish() {
        guard !finished else { return }
        finished = true
        queue.close()
        done.wait()
    }

    deinit {
        precondition(finished, "BackgroundStage dropped without finish()")
    }
}
