import Foundation

/// Where a long run reports bad inputs and progress (stderr for the CLI, a buffer in tests).
public final class RunConsole: @unchecked Sendable {
    private let write: (String) -> Void
    /// Whether progress lines are shown (the CLI shows them when stderr is a terminal).
    public let showsProgress: Bool
    private let lock = NSLock()
    private var lastProgress = Date.distantPast

    public init(showsProgress: Bool, write: @escaping (String) -> Void) {
        self.showsProgress = showsProgress
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

    /// Shows "label done/total" at most a few times a second.
    public func progress(_ label: String, done: Int, total: Int?) {
        guard showsProgress else { return }
        lock.withLock {
            let now = Date()
            let finished = total.map { done >= $0 } ?? false
            guard finished || now.timeIntervalSince(lastProgress) > 0.2 else { return }
            lastProgress = now
            write("\r\u{1B}[K\(label) \(done)\(total.map { "/\($0)" } ?? "")\(finished ? "\n" : "")")
        }
    }

    /// A plain informational line.
    public func note(_ text: String) {
        lock.withLock { write(text + "\n") }
    }
}
