import SmileVision

/// Joins tracks that are one person seen twice: a track that ends and another that starts near
/// where it ended, a little later.
///
/// The frontal cascade loses a person who turns away or is hidden for longer than the tracker
/// waits (`FaceTracker.Settings.maxMissed`), and the tracker then gives them a new id. The
/// per-frame ids cannot change once written, but the per-person summary can join them: track B
/// continues track A when B starts at most `maxGap` frames after A ends (never overlapping it in
/// time), B's first box is within `maxCentreDistance` box sides of A's last box, and their sides
/// differ by at most `maxSizeRatio`. Candidates are joined shortest gap first, each track
/// continuing at most one and continued by at most one, so a chain A-B-C is one person.
public struct TrackStitching: Sendable, Equatable {
    /// Longest gap, in frames, between the end of one track and the start of its continuation.
    public var maxGap = 75
    /// Largest distance between A's last and B's first box centres, in box sides.
    public var maxCentreDistance = 1.0
    /// Largest ratio of box sides between A's last and B's first box.
    public var maxSizeRatio = 1.6

    public init() {}

    /// One track's extent: its id, first and last frame and box.
    public struct Extent: Sendable, Equatable {
        public var track: Int
        public var firstFrame: Int
        public var firstBox: Rect
        public var lastFrame: Int
        public var lastBox: Rect

        public init(track: Int, firstFrame: Int, firstBox: Rect, lastFrame: Int, lastBox: Rect) {
            self.track = track
            self.firstFrame = firstFrame
            self.firstBox = firstBox
            self.lastFrame = lastFrame
            self.lastBox = lastBox
        }
    }

    /// Groups of track ids that are one person each, every group in time order, groups by first track id.
    public func people(_ tracks: [Extent]) -> [[Int]] {
        var candidates: [(gap: Int, from: Int, to: Int)] = []
        for a in tracks {
            for b in tracks where b.firstFrame > a.lastFrame && b.firstFrame - a.lastFrame <= maxGap && continues(a.lastBox, b.firstBox) {
                candidates.append((b.firstFrame - a.lastFrame, a.track, b.track))
            }
        }
        candidates.sort { ($0.gap, $0.from, $0.to) < ($1.gap, $1.from, $1.to) }
        var next: [Int: Int] = [:], previous: [Int: Int] = [:]
        for c in candidates where next[c.from] == nil && previous[c.to] == nil {
            next[c.from] = c.to
            previous[c.to] = c.from
        }
        return tracks.map(\.track).sorted().filter { previous[$0] == nil }.map { first in
            var chain = [first]
            while let following = next[chain.last!] { chain.append(following) }
            return chain
        }
    }

    /// Whether a box that starts a track is close enough to one that ended another to be the same face.
    func continues(_ end: Rect, _ start: Rect) -> Bool {
        let sideA = Double(max(end.width, end.height)), sideB = Double(max(start.width, start.height))
        guard sideA > 0, sideB > 0, max(sideA, sideB) / min(sideA, sideB) <= maxSizeRatio else { return false }
        let dx = (Double(end.x) + Double(end.width) / 2) - (Double(start.x) + Double(start.width) / 2)
        let dy = (Double(end.y) + Double(end.height) / 2) - (Double(start.y) + Double(start.height) / 2)
        return (dx * dx + dy * dy).squareRoot() <= maxCentreDistance * (sideA + sideB) / 2
    }
}
