import SmileVision

/// Finds the faces of consecutive video frames cheaply: a full detection pass every few frames,
/// and in between a search only around the faces seen recently.
///
/// A full pass looks at the whole frame at every scale (as the detector's `pyramidSearch` says:
/// `smile frames` searches coarse to fine, except at interval 1), which costs 30-60 ms at 640x360
/// on one core of an AVX2 AMD EPYC with our full search (150-270 ms with OpenCV's;
/// `smile-bench detect`), about 0.6 of that coarse to fine. Faces move little from one frame
/// to the next, so between full passes the frame gets one region scan
/// (`FaceDetector.detectFrontalFaces(in:regions:)`): the full pass's own pyramid, windows and
/// grouping, but only windows inside a region around each recent face (its last box grown by
/// `searchMargin` box sides on every side) and only at sizes within `sizeTolerance` of that
/// face's. A face whose raw windows lie well inside its region comes out exactly as a full pass on
/// that frame would give it.
/// - A face not found (by either pass) is looked for again around its last box for up to
///   `keepMissing` frames: the frontal cascade loses a turning head for a few frames at a time.
/// - Until the next full pass, the region scans also look around the full pass's candidates:
///   clusters of raw windows too weak to be faces (`candidateNeighbours`). A face that a full pass
///   on every frame finds for a single frame is most often such a cluster in the frames around it
///   (on facenet_group.mp4, 10 of the 17 faces `--detect-every 2` missed without this).
/// - A face that a full pass finds and the frame before did not have is followed backwards
///   through the frames since the previous full pass (a region scan in each, newest first, until
///   it is not found), so a face that appears between full passes is not missed until the next.
///   That is why frames come out only when the next full pass has run: `push` returns the faces
///   of the frames now final, and `flush` those still held at the end.
/// - Resuming: `restore` takes the faces an interrupted run wrote for its frames, one call per
///   frame, so the resumed run searches around the same faces; frames resume after the last
///   written one, and the first frame pushed after a restore gets a full pass only if its index
///   is a multiple of `fullPassInterval`. Candidates are not written, so until its next full pass a
///   resumed run may find a face fewer than an unbroken one.
/// With `fullPassInterval` 1 every frame gets a full pass and nothing else (the reference the
/// others are measured against with `smile compare-frames`). Not thread-safe (the detector is not).
public final class VideoFaceDetector {
    /// How often the full pass runs and how the local search looks.
    public struct Settings: Sendable, Equatable {
        /// A full pass every this many frames (1: every frame, no local search). 3 by measurement:
        /// the largest interval that keeps 98% of the every-frame faces on both clips (see docs/performance.md).
        public var fullPassInterval = 3
        /// Search region around a face's last box, in box sides on each side (0.75 by measurement: 1 found
        /// the same faces on hamilton and 2 more of 519 on facenet, at about 15% more time per frame).
        public var searchMargin = 0.75
        /// Sizes searched around a face: from its side / this to its side * this.
        public var sizeTolerance = 2.0
        /// Frames a face may go unfound and still be searched for around its last box. 6 by
        /// measurement: on both clips, at every interval from 2 to 4, the same recall as 25 with fewer regions to scan.
        public var keepMissing = 6
        /// The full pass's clusters of raw windows kept at this many neighbours (but not at the
        /// detector's own `minNeighbours`) are searched around until the next full pass, and followed
        /// back like new faces; nil: off. 0 (every cluster, a single window included) by measurement
        /// with the coarse-to-fine search, which leaves fewer windows to cluster: on facenet at
        /// `--detect-every 3` it kept 510 of the 519 every-frame faces, clusters of two windows or
        /// more (1) 508 (both with `candidateMargin` 0.25: 509 and 508). See
        /// `FaceDetector.detectFaces(in:candidateNeighbours:)` and docs/performance.md.
        public var candidateNeighbours: Int? = 0
        /// Search region around a candidate, in box sides on each side: a face that a candidate
        /// becomes lies near where the cluster was. 0.5 by measurement (with single-window
        /// candidates, 0.25 kept 509 of facenet's 519 faces, 0.5 kept 510).
        public var candidateMargin = 0.5
        /// Sizes searched around a candidate: from its side / this to its side * this.
        public var candidateSizeTolerance = 1.25
        public init() {}
    }

    private struct RecentFace {
        var face: DetectedFace
        var missed: Int
    }

    /// A box to search around, with how far (box sides on each side) and at which sizes (from its side /
    /// `sizeTolerance` to its side * `sizeTolerance`).
    struct SearchArea {
        var box: Rect
        var margin: Double
        var sizeTolerance: Double
    }

    /// A frame since the last full pass whose faces may still grow by backfilling.
    private struct HeldFrame {
        /// The frame as the detector searches it: gray for the Haar cascade, as decoded for YuNet.
        var searched: Image
        var faces: [DetectedFace]
    }

    /// The single-frame detector used for both kinds of pass.
    public let detector: FaceDetector
    /// The settings in use.
    public let settings: Settings
    /// Full passes run so far.
    public private(set) var fullPasses = 0
    /// Region scans (around the recent faces, or following new faces back) run so far.
    public private(set) var localSearches = 0
    private var recent: [RecentFace] = []
    /// The last full pass's candidates (weak clusters), searched around until the next full pass.
    private var candidates: [DetectedFace] = []

    public init(detector: FaceDetector, settings: Settings = Settings()) {
        self.detector = detector
        self.settings = settings
    }

    /// Takes the next frame (`index`: its number in the clip; full passes run on the multiples of
    /// `fullPassInterval`, and on the first frame pushed); returns the faces (largest first) of the
    /// frames now final, oldest first: every frame pushed comes back once, in order, at the latest
    /// with the next full pass.
    public func push(_ image: Image, frame index: Int) throws -> [[DetectedFace]] {
        guard settings.fullPassInterval > 1 else { return [try detector.detectFaces(in: image)] }
        let searched = detector.yunet == nil ? image.grayscale() : image
        if fullPasses == 0 || index % settings.fullPassInterval == 0 {
            // YuNet has no weak clusters to follow: its candidates are its own low-scoring faces, already dropped.
            let candidateNeighbours = detector.yunet == nil ? settings.candidateNeighbours : nil
            let (faces, weak) = try candidateNeighbours.map { try detector.detectFaces(in: searched, candidateNeighbours: $0) }
                ?? (try detector.detectFaces(in: searched), [])
            fullPasses += 1
            let isNew = { (face: DetectedFace) in !(self.held.last?.faces ?? []).contains { self.overlaps($0, face) } }
            let newFaces = faces.filter(isNew).map(faceArea) + weak.filter(isNew).map(candidateArea)
            // The full pass sees every window a region scan would: the recent faces it lacks stay missed.
            recent = remembering(faces, after: recent)
            candidates = weak
            try backfill(newFaces)
            let ready = held.map(\.faces) + [Self.largestFirst(faces)]
            held = []
            return ready
        }
        held.append(HeldFrame(searched: searched, faces: Self.largestFirst(try searchRecent(in: searched))))
        return []
    }

    /// Takes the faces an earlier, interrupted run found in its next frame (in order, one call per
    /// frame written), so a resumed run searches around the same faces as an unbroken one would.
    public func restore(_ faces: [DetectedFace]) {
        guard settings.fullPassInterval > 1 else { return }
        fullPasses = max(fullPasses, 1)
        recent = remembering(faces, after: recent)
    }

    /// The faces of the frames still held (call at the end of the video).
    public func flush() -> [[DetectedFace]] {
        defer { held = [] }
        return held.map(\.faces)
    }

    private var held: [HeldFrame] = []

    /// The faces near the recent ones in `frame` (one region scan); updates `recent`.
    private func searchRecent(in frame: Image) throws -> [DetectedFace] {
        let hits = try scan(frame, around: recent.map { faceArea($0.face) } + candidates.map(candidateArea))
        recent = remembering(hits, after: recent)
        return hits
    }

    /// The faces to search around next: those `present` now, and the earlier ones not among them
    /// (by overlap only, so that `restore` from the written faces gives the same), one frame more missed.
    private func remembering(_ present: [DetectedFace], after earlier: [RecentFace]) -> [RecentFace] {
        present.map { RecentFace(face: $0, missed: 0) } + earlier.compactMap { item in
            guard item.missed < settings.keepMissing, !present.contains(where: { overlaps($0, item.face) }) else { return nil }
            return RecentFace(face: item.face, missed: item.missed + 1)
        }
    }

    /// Follows each of `faces` (new faces and candidates of a full pass) back through the held frames,
    /// newest first, while a region scan finds it (one scan per frame for all the faces still followed).
    private func backfill(_ areas: [SearchArea]) throws {
        var followed = areas
        for index in held.indices.reversed() {
            followed.removeAll { area in held[index].faces.contains { $0.box.intersectionOverUnion(area.box) >= 0.3 } }
            guard !followed.isEmpty else { break }
            let found = try scan(held[index].searched, around: followed)
            var next: [SearchArea] = []
            for area in followed {
                // The face overlapping the followed box most is the same face.
                let box = area.box
                guard let best = found.max(by: { $0.box.intersectionOverUnion(box) < $1.box.intersectionOverUnion(box) }),
                      best.box.intersectionOverUnion(box) > 0,
                      !held[index].faces.contains(where: { overlaps($0, best) }) else { continue }
                held[index].faces = Self.largestFirst(held[index].faces + [best])
                next.append(faceArea(best))
            }
            followed = next
        }
    }

    /// The search around a face: `searchMargin` and `sizeTolerance`.
    private func faceArea(_ face: DetectedFace) -> SearchArea {
        SearchArea(box: face.box, margin: settings.searchMargin, sizeTolerance: settings.sizeTolerance)
    }

    /// The search around a candidate: `candidateMargin` and `candidateSizeTolerance`.
    private func candidateArea(_ candidate: DetectedFace) -> SearchArea {
        SearchArea(box: candidate.box, margin: settings.candidateMargin, sizeTolerance: settings.candidateSizeTolerance)
    }

    /// Whether two faces are the same one (boxes overlapping by IoU 0.3 or more, or one mostly inside the other).
    private func overlaps(_ a: DetectedFace, _ b: DetectedFace) -> Bool {
        NonMaximumSuppression.sameFace(a.box, b.box, NonMaximumSuppression.defaultIoUThreshold, NonMaximumSuppression.defaultContainment,
                                       NonMaximumSuppression.singlePassAreaRatio)
    }

    private static func largestFirst(_ faces: [DetectedFace]) -> [DetectedFace] {
        faces.sorted { $0.box.area > $1.box.area }
    }

    /// The faces that one region scan of `frame` finds around `areas` (grouped as a full pass groups,
    /// with no further merging, so they are the full pass's own faces where it would find them;
    /// with YuNet, each region searched on its own).
    func scan(_ frame: Image, around areas: [SearchArea]) throws -> [DetectedFace] {
        guard !areas.isEmpty else { return [] }
        localSearches += 1
        let regions = areas.map { area -> Rect in
            let box = area.box
            let margin = Int((Double(max(box.width, box.height)) * area.margin).rounded())
            return Rect(x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin)
        }
        // Each region holds only sizes near its own face's.
        let sides = areas.map { area -> ClosedRange<Double> in
            let side = Double(max(area.box.width, area.box.height))
            return (side / area.sizeTolerance).rounded(.down)...(side * area.sizeTolerance).rounded(.up)
        }
        if detector.yunet != nil { return try detector.yunetFaces(in: frame, regions: regions, sides: sides) }
        return try detector.detectFrontalFaces(in: frame, regions: regions, sides: sides,
                                                    minFaceSize: sides.map(\.lowerBound).min() ?? 0,
                                                    maxFaceSize: sides.map(\.upperBound).max() ?? 0)
    }
}
