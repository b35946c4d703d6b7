import Foundation

/// A first-in, first-out queue of bounded capacity that hands values from one thread to another.
///
/// `push` waits while the queue is full and `pop` while it is empty, so a fast producer cannot run
/// ahead by more than `capacity` values (memory stays bounded) and order is kept. `close` wakes
/// both sides: pushes are then refused, and pops drain what is left, then return nil.
/// Written by hand because Foundation and the packages available here offer no blocking queue
/// (swift-async-algorithms' channels are for async code; the pipeline runs on plain threads).
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var isClosed = false
    /// Most values the queue holds at once.
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
    }

    /// Appends `value`, waiting while the queue is full; false (value dropped) once the queue is closed.
    @discardableResult
    public func push(_ value: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !isClosed { condition.wait() }
        guard !isClosed else { return false }
        items.append(value)
        condition.broadcast()
        return true
    }

    /// The oldest value, waiting while the queue is empty and open; nil once closed and drained.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !isClosed { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    /// Up to `limit` values that are ready now, oldest first, without waiting.
    public func popReady(limit: Int) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        let taken = Array(items.prefix(limit))
        items.removeFirst(taken.count)
        if !taken.isEmpty { condition.broadcast() }
        return taken
    }

    /// Refuses further pushes and wakes every waiting thread.
    public func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `close` was called.
    public var closed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isClosed
    }
}
