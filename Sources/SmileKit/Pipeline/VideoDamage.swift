import Foundation

/// The messages for a damaged video: frames lost, frames patched up by the decoder, a file that
/// ends before the frames its container lists.
final class VideoDamage {
    /// The video's path, named in the messages.
    let path: String
    /// Frames per second, for times (0: times left out).
    let fps: Double
    /// Frames the decoder filled in (damaged data concealed), in order.
    var concealed: [Int] = []

    init(path: String, fps: Double) {
        self.path = path
        self.fps = fps
    }

    /// Frames that could not be decoded.
    func lost(frames: Range<Int>, reason: String) -> InputFailure {
        let why = reason.isEmpty ? "damaged data" : reason
        return InputFailure(path: path, reason: "\(Self.describe(frames, fps: fps)) could not be decoded (\(why)); the other frames were kept")
    }

    /// The video ended more than one frame before the count its container lists (a cut-off file).
    func endedEarly(after frames: Int, listed: Int) -> InputFailure? {
        guard listed > frames + 1 else { return nil }
        return InputFailure(path: path, reason: "ends after \(frames) frames, but its container lists \(listed): \(Self.describe(frames..<listed, fps: fps)) missing (cut off?)")
    }

    /// One message naming every frame the decoder patched up, or nil when there were none.
    func concealedFailure() -> InputFailure? {
        guard !concealed.isEmpty else { return nil }
        let runs = Self.runs(concealed).map { Self.describe($0, fps: fps) }
        return InputFailure(path: path, reason: "\(runs.joined(separator: ", ")) had damaged data that the decoder filled in; their rows were kept but may be wrong")
    }

    /// "frame 34 (1.13 s)" or "frames 34-41 (1.13-1.37 s)"; times only when the rate is known.
    static func describe(_ frames: Range<Int>, fps: Double) -> String {
        let first = frames.lowerBound, last = frames.upperBound - 1
        let times = fps > 0 ? (first == last ? String(format: " (%.2f s)", Double(first) / fps)
                                             : String(format: " (%.2f-%.2f s)", Double(first) / fps, Double(last) / fps)) : ""
        return first == last ? "frame \(first)\(times)" : "frames \(first)-\(last)\(times)"
    }

    /// Consecutive numbers grouped into ranges, in order.
    static func runs(_ numbers: [Int]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for n in numbers {
            if let last = ranges.last, last.upperBound == n {
                ranges[ranges.count - 1] = last.lowerBound..<(n + 1)
            } else {
                ranges.append(n..<(n + 1))
            }
        }
        return ranges
    }
}
