import Foundation

/// Where a long run reports bad inputs and progress (stderr for the CLI, a buffer in tests).
public final class RunConsole: @unchecked Sendable {
    private let write: (String) -> Void
    /// Whether progress lines are shown (the CLI shows them when stderr is a terminal).
    public let showsProgress: Bool
    private let lock = NSLock()
    private let now: () -> Date
    private var lastProgress = Date.distantPast
    private var estimate = RemainingTime()

    /// A console writing through `write`; `now` is the clock progress estimates are read on.
    public init(showsProgress: Bool, now: @escaping () -> Date = Date.init, write: @escaping (String) -> Void) {
        self.showsProgress = showsProgress
        self.now = now
        self.write = write
    }

    /// A console on standard error, with progress when it is a terminal.
    public static func standardError() -> RunConsole {
        RunConsole(showsProgress: isatty(STDERR_FILENO) != 0) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Reports a bad input, naming it and the reason.
    public func failed(_ failure: InputFailure) {
        lock.withLock { write("\(showsProgress ? "\r\u{1B}[K" : "")error: \(failure)\n") }
    }

    /// Shows "label done/total, about 2 min left" at most a few times a second (the time left once
    /// the recent pace is known).
    public func progress(_ label: String, done: Int, total: Int?) {
        guard showsProgress else { return }
        lock.withLock {
            let now = now()
            let finished = total.map { done >= $0 } ?? false
            estimate.record(label: label, done: done, at: now)
            guard finished || now.timeIntervalSince(lastProgress) > 0.2 else { return }
            lastProgress = now
            let left = finished ? nil : total.flatMap { estimate.secondsLeft(to: $0) }.map { ", about \(RemainingTime.describe($0)) left" }
            write("\r\u{1B}[K\(label) \(done)\(total.map { "/\($0)" } ?? "")\(left ?? "")\(finished ? "\n" : "")")
        }
    }

    /// A plain informational line.
    public func note(_ text: String) {
        lock.withLock { write(text + "\n") }
    }
}
