import Foundation

/// How long a run has left, from the pace of its recent progress.
///
/// The pace is read over the last `window` seconds, not since the start, so inputs skipped in a
/// moment (a resumed run's finished photos) or a slow start do not bend the estimate for long.
/// No estimate until `minimumSeconds` of progress are behind it.
struct RemainingTime {
    /// Seconds of recent progress the pace is read over.
    var window: TimeInterval = 30
    /// Seconds of progress needed before an estimate is given.
    var minimumSeconds: TimeInterval = 3
    private var label = ""
    private var samples: [(time: Date, done: Int)] = []

    /// Notes that `done` items of the run `label` are finished at `time` (a new label starts afresh).
    mutating func record(label: String, done: Int, at time: Date) {
        if label != self.label || (samples.last.map { done < $0.done } ?? false) {
            self.label = label
            samples.removeAll()
        }
        samples.append((time, done))
        // Keep the newest sample older than the window, so the window stays covered.
        while samples.count > 2, time.timeIntervalSince(samples[1].time) >= window { samples.removeFirst() }
    }

    /// Seconds until `total` items are done at the recent pace; nil while it is not known yet.
    func secondsLeft(to total: Int) -> TimeInterval? {
        guard let first = samples.first, let last = samples.last else { return nil }
        let seconds = last.time.timeIntervalSince(first.time), items = last.done - first.done
        guard seconds >= minimumSeconds, items > 0 else { return nil }
        return Double(max(total - last.done, 0)) * seconds / Double(items)
    }

    /// "40 s", "3 min", "1 h 5 min": rounded as a person would say it.
    static func describe(_ seconds: TimeInterval) -> String {
        if seconds < 60 { return "\(max(Int((seconds / 5).rounded()) * 5, 5)) s" }
        let minutes = Int((seconds / 60).rounded())
        if minutes < 60 { return "\(minutes) min" }
        return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
    }
}
