import Foundation

/// One face of one frame as a track saw it.
public struct TrackObservation: Sendable, Equatable {
    public var frame: Int
    /// Seconds from the start, when known.
    public var timeSeconds: Double?
    /// The classifier's p(smile) for this frame.
    public var smileProbability: Float
    /// The track's smoothed p(smile) after this frame.
    public var smoothedProbability: Float

    public init(frame: Int, timeSeconds: Double?, smileProbability: Float, smoothedProbability: Float) {
        self.frame = frame
        self.timeSeconds = timeSeconds
        self.smileProbability = smileProbability
        self.smoothedProbability = smoothedProbability
    }
}

/// What one person (track) did over a clip: when they were seen, their smile segments, their smiliest frame.
public struct TrackSummary: Sendable, Equatable {
    /// A stretch of frames: all of a track, or one smile segment.
    public struct Span: Sendable, Equatable {
        public var start: TrackObservation
        public var end: TrackObservation
        /// Frames in the span where the face was detected.
        public var frames: Int
        /// Mean of the raw p(smile) over those frames.
        public var meanProbability: Float
        /// The frame with the highest raw p(smile) (the first one on ties).
        public var best: TrackObservation
    }

    public var track: Int
    /// The tracks joined into this person (see `TrackStitching`), in time order; `[track]` when one.
    public var tracks: [Int]
    /// All of the track.
    public var whole: Span
    /// Smile segments: runs of frames whose smoothed p(smile) is at or above the threshold, where a
    /// gap of undetected frames inside a run (at most the tracker's `maxMissed`) does not end it.
    public var smiles: [Span]

    /// Summarises the observations of one track (frame order); nil when there are none.
    public init?(track: Int, observations: [TrackObservation], threshold: Float, maxGap: Int) {
        guard let whole = Self.span(observations[...]) else { return nil }
        self.track = track
        self.tracks = [track]
        self.whole = whole
        var smiles: [Span] = []
        var run: [TrackObservation] = []
        for o in observations {
            if o.smoothedProbability >= threshold, run.isEmpty || o.frame - run.last!.frame <= maxGap + 1 {
                run.append(o)
                continue
            }
            if let s = Self.span(run[...]) { smiles.append(s) }
            run = o.smoothedProbability >= threshold ? [o] : []
        }
        if let s = Self.span(run[...]) { smiles.append(s) }
        self.smiles = smiles
    }

    static func span(_ o: ArraySlice<TrackObservation>) -> Span? {
        guard let first = o.first, let last = o.last else { return nil }
        let best = o.reduce(first) { $1.smileProbability > $0.smileProbability ? $1 : $0 }
        let mean = o.reduce(Float(0)) { $0 + $1.smileProbability } / Float(o.count)
        return Span(start: first, end: last, frames: o.count, meanProbability: mean, best: best)
    }
}

/// The tracks table of `smile frames --tracks`: one `all` row per person, then one row per smile segment.
///
/// Columns: `track,segment,start_frame,end_frame,start_s,end_s,frames,mean_p_smile,best_frame,best_s,best_p_smile,tracks`;
/// `segment` is `all` for the whole track and 1, 2, ... for its smile segments; times are empty when unknown;
/// `tracks` lists the per-frame track ids joined into this person (space-separated; see `TrackStitching`).
public enum TracksTable {
    /// The CSV header line.
    public static let header = CSVFormat.row(["track", "segment", "start_frame", "end_frame", "start_s", "end_s", "frames",
                                              "mean_p_smile", "best_frame", "best_s", "best_p_smile", "tracks"])

    /// The rows of one track.
    public static func rows(_ summary: TrackSummary) -> String {
        func row(_ segment: String, _ s: TrackSummary.Span) -> String {
            let time = { (t: Double?) in t.map { String(format: "%.3f", $0) } ?? "" }
            return CSVFormat.row([String(summary.track), segment, String(s.start.frame), String(s.end.frame),
                                  time(s.start.timeSeconds), time(s.end.timeSeconds), String(s.frames),
                                  String(format: "%.4f", s.meanProbability), String(s.best.frame), time(s.best.timeSeconds),
                                  String(format: "%.4f", s.best.smileProbability), summary.tracks.map(String.init).joined(separator: " ")])
        }
        return row("all", summary.whole) + summary.smiles.enumerated().map { row(String($0 + 1), $1) }.joined()
    }
}
