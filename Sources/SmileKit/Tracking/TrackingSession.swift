import Foundation
import SmileVision

/// What `smile frames` does with tracks: settings and outputs.
public struct TrackingOptions: Sendable {
    /// Tracker association settings.
    public var tracker = FaceTracker.Settings()
    /// Exponential smoothing of p(smile) per track: smoothed = s * previous + (1 - s) * p, with s this value
    /// (0: no smoothing). A track's first frame starts at its own p.
    public var smoothing = 0.5
    /// Tracks seen in fewer frames are left out of the summary (brief false detections); they keep their ids.
    public var minTrackFrames = 3
    /// How the summary joins tracks that are one person seen twice (see `TrackStitching`); nil: never.
    public var stitching: TrackStitching? = TrackStitching()
    /// Where the per-track summary CSV goes, if wanted.
    public var tracksFile: URL?
    /// Where the smiliest face crop of each track goes (`track-<id>.jpg`), if wanted.
    public var bestFacesDirectory: URL?

    public init() {}
}

/// A face's track id and smoothed p(smile).
public struct TrackedFace: Sendable, Equatable {
    public var track: Int
    public var smoothedProbability: Float

    public init(track: Int, smoothedProbability: Float) {
        self.track = track
        self.smoothedProbability = smoothedProbability
    }
}

/// Tracks faces over the frames of one run, smooths p(smile) per track and writes the summary at the end.
public final class TrackingSession {
    public let options: TrackingOptions
    /// The decision threshold that smile segments use (on smoothed p).
    public let threshold: Float
    private let tracker: FaceTracker
    private var smoothed: [Int: Float] = [:]
    private var observations: [Int: [TrackObservation]] = [:]
    private var bestCrops: [Int: (p: Float, image: Image)] = [:]
    private var extents: [Int: TrackStitching.Extent] = [:]

    public init(options: TrackingOptions, threshold: Float) {
        self.options = options
        self.threshold = threshold
        self.tracker = FaceTracker(settings: options.tracker)
    }

    /// Tracks the faces of the next frame (call once per frame, in order, with every frame).
    public func update(frame: Int, timeSeconds: Double?, image: Image, faces: [FaceResult]) -> [TrackedFace] {
        let ids = tracker.update(faces.map(\.box), frame: frame)
        let s = Float(min(max(options.smoothing, 0), 1))
        return zip(ids, faces).map { id, face in
            // Smoothing continues from the previous value as the CSV shows it (4 decimals), so a
            // resumed run (which restores it from the CSV) gives exactly the rows of an unbroken one.
            let value = smoothed[id].map { s * Self.asWritten($0) + (1 - s) * face.smileProbability } ?? face.smileProbability
            smoothed[id] = value
            observations[id, default: []].append(TrackObservation(frame: frame, timeSeconds: timeSeconds,
                                                                  smileProbability: face.smileProbability, smoothedProbability: value))
            extend(id, frame: frame, box: face.box)
            if options.bestFacesDirectory != nil, face.smileProbability > (bestCrops[id]?.p ?? -1) {
                let rect = CropFraming(margin: 0.25).cropRect(around: face.box)
                let side = min(rect.width, 256)
                bestCrops[id] = (face.smileProbability,
                                 DetectionGeometry.uprightCrop(image, rect: rect, angle: face.angle, width: side, height: side))
            }
            return TrackedFace(track: id, smoothedProbability: value)
        }
    }

    /// Restores the state after a frame that an earlier, interrupted run already wrote: the same
    /// boxes give the same track ids, and the smoothed values are taken as written.
    public func restore(frame: Int, timeSeconds: Double?, faces: [FaceResult], smoothedProbabilities: [Float]) {
        let ids = tracker.update(faces.map(\.box), frame: frame)
        for (id, (face, value)) in zip(ids, zip(faces, smoothedProbabilities)) {
            smoothed[id] = value
            observations[id, default: []].append(TrackObservation(frame: frame, timeSeconds: timeSeconds,
                                                                  smileProbability: face.smileProbability, smoothedProbability: value))
            extend(id, frame: frame, box: face.box)
        }
    }

    /// Records that track `id` had `box` in `frame` (its latest frame so far).
    private func extend(_ id: Int, frame: Int, box: Rect) {
        if extents[id] == nil {
            extents[id] = TrackStitching.Extent(track: id, firstFrame: frame, firstBox: box, lastFrame: frame, lastBox: box)
        } else {
            extents[id]!.lastFrame = frame
            extents[id]!.lastBox = box
        }
    }

    /// `p` rounded to the 4 decimals the CSV carries.
    static func asWritten(_ p: Float) -> Float { Float((Double(p) * 10000).rounded() / 10000) }

    /// Summaries of the tracks seen in at least `minTrackFrames` frames, by track id.
    /// One summary per person: the tracks seen in at least `minTrackFrames` frames, those that are
    /// one person seen twice joined (`stitching`), by first track id.
    public func summaries() -> [TrackSummary] {
        let kept = observations.keys.sorted().filter { (observations[$0]?.count ?? 0) >= options.minTrackFrames }
        let people = options.stitching?.people(kept.compactMap { extents[$0] }) ?? kept.map { [$0] }
        return people.compactMap { ids in
            let all = ids.flatMap { observations[$0] ?? [] }.sorted { $0.frame < $1.frame }
            var summary = TrackSummary(track: ids[0], observations: all, threshold: threshold, maxGap: options.tracker.maxMissed)
            summary?.tracks = ids
            return summary
        }
    }

    /// Writes the tracks CSV and the smiliest crops, where asked.
    public func finish() throws {
        let summaries = summaries()
        if let url = options.tracksFile {
            try writeAtomically(Data((TracksTable.header + summaries.map(TracksTable.rows).joined()).utf8), to: url)
        }
        if let directory = options.bestFacesDirectory {
            do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw OutputError(path: directory.path, reason: "cannot create: \(error.localizedDescription)")
            }
            for summary in summaries {
                let best = summary.tracks.compactMap { bestCrops[$0] }.max { $0.p < $1.p }
                guard let crop = best?.image else { continue }
                try writeAtomically(Data(try ImageCodec.encode(crop, as: .jpeg(quality: 90))),
                                    to: directory.appendingPathComponent("track-\(summary.track).jpg"))
            }
        }
    }
}
