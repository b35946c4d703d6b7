import Foundation

/// The signal caught by the handler `StopRequest.onInterruptSignals` installs (0: none yet).
/// Written only by that handler (a plain store, async-signal-safe), read between inputs.
private var caughtStopSignal: sig_atomic_t = 0

/// A request to stop a long run cleanly after the current input, set by SIGINT or SIGTERM.
///
/// Jobs check `signal` between inputs, so every completed row is kept and nothing is
/// half-written. The handler is installed with `SA_RESETHAND`, so a second Ctrl-C ends
/// the process at once.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested: Int32?
    private let watchesProcessSignals: Bool

    /// A request that only `request(_:)` sets (tests, library callers).
    public convenience init() { self.init(watchesProcessSignals: false) }

    private init(watchesProcessSignals: Bool) {
        self.watchesProcessSignals = watchesProcessSignals
    }

    /// The signal that asked to stop (SIGINT or SIGTERM), or nil to go on.
    public var signal: Int32? {
        if let requested = lock.withLock({ requested }) { return requested }
        return watchesProcessSignals && caughtStopSignal != 0 ? Int32(caughtStopSignal) : nil
    }

    /// Asks the job to stop as if `signal` had arrived.
    public func request(_ signal: Int32) {
        lock.withLock { if requested == nil { requested = signal } }
    }

    /// Installs handlers for SIGINT and SIGTERM and returns the request they set.
    public static func onInterruptSignals() -> StopRequest {
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_handler = { caughtStopSignal = sig_atomic_t($0) }
            #else
            action.__sigaction_u.__sa_handler = { caughtStopSignal = sig_atomic_t($0) }
            #endif
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)  // 0x80000000 on Linux
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
        return StopRequest(watchesProcessSignals: true)
    }

    /// The exit status a shell gives a process ended by `signal` (130 for SIGINT, 143 for SIGTERM).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// "SIGINT", "SIGTERM" or "signal N".
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }
}
