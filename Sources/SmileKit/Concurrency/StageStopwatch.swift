import Foundation

/// Time a pipeline stage took: on the wall clock, and in CPU time of the thread that ran it.
///
/// Stages overlap on threads of their own (a photo is searched while the one before is
/// classified), so on one core each stage's wall time also holds the other stages' turns; the
/// running thread's CPU time does not. It leaves out work handed to other threads, though, so it
/// is the stage's whole cost only when the stage runs on one thread (`--threads 1`).
public struct StageTime: Sendable, Equatable {
    /// Elapsed seconds.
    public var wall: Double
    /// CPU seconds of the thread that ran the stage.
    public var thread: Double

    /// No time.
    public static let zero = StageTime(wall: 0, thread: 0)

    /// Creates a stage time.
    public init(wall: Double, thread: Double) {
        self.wall = wall
        self.thread = thread
    }

    /// Adds another stage's time.
    public static func += (lhs: inout StageTime, rhs: StageTime) {
        lhs.wall += rhs.wall
        lhs.thread += rhs.thread
    }
}

/// Times a stage run on the current thread: start it before the work, read `elapsed` after, on the same thread.
public struct StageStopwatch: Sendable {
    private let wallStart: Double
    private let threadStart: Double

    /// Starts timing now.
    public init() {
        wallStart = Self.read(CLOCK_MONOTONIC)
        threadStart = Self.read(CLOCK_THREAD_CPUTIME_ID)
    }

    /// The time since `init`, on both clocks.
    public var elapsed: StageTime {
        StageTime(wall: Self.read(CLOCK_MONOTONIC) - wallStart, thread: Self.read(CLOCK_THREAD_CPUTIME_ID) - threadStart)
    }

    private static func read(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
