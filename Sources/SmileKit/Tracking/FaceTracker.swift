import SmileVision

/// Gives each face a track id that stays the same from frame to frame.
///
/// Greedy association: every (track, box) pair whose boxes overlap (IoU with the track's predicted box
/// at least `minIoU`) or whose centres are close (at most `maxCentreDistance` box sides apart), with
/// sides within a factor `maxSizeRatio`, is a candidate; candidates are taken cheapest first, cost =
/// (1 - IoU) + centre distance in box sides, each track and box used once. A track predicts its box by
/// its last velocity (centre motion per frame), which keeps crossing faces apart. A box left over starts
/// a new track; a track left over may miss `maxMissed` frames in a row before it ends.
public final class FaceTracker {
    /// Association settings.
    public struct Settings: Sendable, Equatable {
        /// Frames in a row a track may go undetected and still continue (5: 0.2 s at 25 fps; the
        /// frontal cascade loses a turning head for a few frames at a time).
        public var maxMissed = 5
        /// IoU with the predicted box that makes a candidate.
        public var minIoU = 0.2
        /// Centre distance, in box sides, that makes a candidate.
        public var maxCentreDistance = 0.75
        /// Largest ratio of box sides between a track and a box it takes.
        public var maxSizeRatio = 1.6
        public init() {}
    }

    private struct Track {
        var id: Int
        var box: Rect
        var velocity: (x: Double, y: Double) = (0, 0)
        var missed = 0
        var frame: Int
        var seen = 1
    }

    /// The settings in use.
    public let settings: Settings
    private var tracks: [Track] = []
    private var nextID = 1
    private var frame = -1

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Ids of the tracks alive now (seen within the last `maxMissed` frames).
    public var activeTrackIDs: [Int] { tracks.map(\.id) }

    /// Assigns a track id to each box of the next frame, in the boxes' order (ids start at 1).
    ///
    /// `frame` is the frame's index (increasing; a skipped index counts as a missed frame); nil: the next one.
    public func update(_ boxes: [Rect], frame index: Int? = nil) -> [Int] {
        let skipped = max(0, (index ?? frame + 1) - frame - 1)
        if skipped > 0 {
            for t in tracks.indices { tracks[t].missed += skipped }
            tracks.removeAll { $0.missed > settings.maxMissed }
        }
        frame = index ?? frame + 1
        var candidates: [(cost: Double, track: Int, box: Int)] = []
        for (t, track) in tracks.enumerated() {
            let steps = Double(frame - track.frame)
            let predicted = Rect(x: track.box.x + Int((track.velocity.x * steps).rounded()),
                                 y: track.box.y + Int((track.velocity.y * steps).rounded()),
                                 width: track.box.width, height: track.box.height)
            for (b, box) in boxes.enumerated() {
                let sideA = Double(max(predicted.width, predicted.height)), sideB = Double(max(box.width, box.height))
                guard sideA > 0, sideB > 0, max(sideA, sideB) / min(sideA, sideB) <= settings.maxSizeRatio else { continue }
                let iou = predicted.intersectionOverUnion(box)
                let (ca, cb) = (Self.centre(predicted), Self.centre(box))
                let distance = ((ca.x - cb.x) * (ca.x - cb.x) + (ca.y - cb.y) * (ca.y - cb.y)).squareRoot() / ((sideA + sideB) / 2)
                guard iou >= settings.minIoU || distance <= settings.maxCentreDistance else { continue }
                candidates.append((1 - iou + distance, t, b))
            }
        }
        candidates.sort { ($0.cost, $0.track, $0.box) < ($1.cost, $1.track, $1.box) }
        var ids = [Int](repeating: 0, count: boxes.count)
        var usedTracks = Set<Int>(), usedBoxes = Set<Int>()
        for c in candidates where !usedTracks.contains(c.track) && !usedBoxes.contains(c.box) {
            usedTracks.insert(c.track)
            usedBoxes.insert(c.box)
            var track = tracks[c.track]
            let (old, new) = (Self.centre(track.box), Self.centre(boxes[c.box]))
            let steps = Double(frame - track.frame)
            let v = ((new.x - old.x) / steps, (new.y - old.y) / steps)
            // Half old, half new: one jittery box does not throw the prediction off.
            track.velocity = track.seen == 1 ? v : ((track.velocity.x + v.0) / 2, (track.velocity.y + v.1) / 2)
            track.seen += 1
            track.box = boxes[c.box]
            track.missed = 0
            track.frame = frame
            tracks[c.track] = track
            ids[c.box] = track.id
        }
        for t in tracks.indices where !usedTracks.contains(t) { tracks[t].missed += 1 }
        tracks.removeAll { $0.missed > settings.maxMissed }
        for b in boxes.indices where !usedBoxes.contains(b) {
            tracks.append(Track(id: nextID, box: boxes[b], frame: frame))
            ids[b] = nextID
            nextID += 1
        }
        return ids
    }

    private static func centre(_ r: Rect) -> (x: Double, y: Double) {
        (Double(r.x) + Double(r.width) / 2, Double(r.y) + Double(r.height) / 2)
    }
}
