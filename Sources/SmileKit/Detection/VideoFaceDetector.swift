import SmileVision

/// Finds the faces of consecutive video frames cheaply: a full detection pass every few frames,
/// and in between a search only around the faces seen recently.
///
/// A full pass looks at the whole frame at every scale, which costs 150-250 ms at 640x360 on
/// one core of the development machine (`smile bench detect`). Faces move little from one frame
/// to the next, so between full passes each recent face is looked for only in a window around its
/// last box (`searchMargin` box sides on every side) and at sizes within `sizeTolerance` of its
/// own, with the detector's own passes and settings: a few small pyramid levels of a small window,
/// well under a millisecond for a typical face.
/// - A face not found (by either pass) is looked for again around its last box for up to
///   `keepMissing` frames, at full-pass frames too: the frontal cascade loses a turning head for
///   a few frames at a time.
/// - A face that a full pass finds and the frame before did not have is followed backwards
///   through the frames since the previous full pass (a local search in each, newest first, until
///   it is not found), so a face that appears between full passes is not missed until the next.
///   That is why frames come out only when the next full pass has run: `push` returns the faces
///   of the frames now final, and `flush` those still held at the end.
/// With `fullPassInterval` 1 every frame gets a full pass and nothing else (the reference the
/// others are measured against with `smile compare-frames`). Not thread-safe (the detector is not).
public final class VideoFaceDetector {
    /// How often the full pass runs and how the local search looks.
    public struct Settings: Sendable, Equatable {
        /// A full pass every this many frames (1: every frame, no local search).
        public var fullPassInterval = 4
        /// Search window margin around a face's last box, in box sides on each side.
        public var searchMargin = 0.5
        /// Sizes searched: from side / this to side * this.
        public var sizeTolerance = 2.0
        /// Raw detections a box needs in the local search. Lower than a full pass needs: the window
        /// is known to have held a face, and the narrow size range gathers fewer raw windows.
        public var localMinNeighbours = 3
        /// Frames a face may go unfound and still be searched for around its last box.
        public var keepMissing = 25
        public init() {}
    }

    private struct RecentFace {
        var face: DetectedFace
        var missed: Int
    }

    /// A frame since the last full pass whose faces may still grow by backfilling.
    private struct HeldFrame {
        var equalized: Image
        var faces: [DetectedFace]
    }

    /// The single-frame detector used for both kinds of pass.
    public let detector: FaceDetector
    /// The settings in use.
    public let settings: Settings
    /// Full passes run so far.
    public private(set) var fullPasses = 0
    /// Local searches (around a recent face, or following a new face back) run so far.
    public private(set) var localSearches = 0
    private var recent: [RecentFace] = []

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
        // Equalised as a whole, as the full pass sees it: windows equalised alone lose faces.
        let equalized = image.grayscale().equalized()
        if fullPasses == 0 || index % settings.fullPassInterval == 0 {
            var faces = try detector.detectFaces(in: image)
            fullPasses += 1
            let newFaces = faces.filter { face in !(held.last?.faces ?? []).contains { overlaps($0, face) } }
            faces += try searchRecent(in: equalized, besides: faces)
            try backfill(newFaces)
            let ready = held.map(\.faces) + [Self.largestFirst(faces)]
            held = []
            return ready
        }
        held.append(HeldFrame(equalized: equalized, faces: Self.largestFirst(try searchRecent(in: equalized, besides: []))))
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

    /// Searches around each recent face not among `found`; returns the faces found and updates `recent`.
    private func searchRecent(in equalized: Image, besides found: [DetectedFace]) throws -> [DetectedFace] {
        var hits: [DetectedFace] = []
        for item in recent where !found.contains(where: { overlaps($0, item.face) }) {
            localSearches += 1
            if let face = try search(around: item.face.box, in: equalized) { hits.append(face) }
        }
        // Two recent faces may have found the same face: keep one.
        hits = NonMaximumSuppression.suppress(hits, iouThreshold: detector.settings.nmsIoU)
            .filter { hit in !found.contains { overlaps($0, hit) } }
        recent = remembering(found + hits, after: recent)
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

    /// Follows each of `faces` back through the held frames, newest first, while a local search finds it.
    private func backfill(_ faces: [DetectedFace]) throws {
        for face in faces {
            var box = face.box
            for index in held.indices.reversed() {
                guard !held[index].faces.contains(where: { $0.box.intersectionOverUnion(box) >= 0.3 }) else { break }
                localSearches += 1
                guard let found = try search(around: box, in: held[index].equalized) else { break }
                held[index].faces = Self.largestFirst(held[index].faces + [found])
                box = found.box
            }
        }
    }

    /// Whether two faces are the same one (boxes overlapping by IoU 0.3 or more).
    private func overlaps(_ a: DetectedFace, _ b: DetectedFace) -> Bool {
        a.box.intersectionOverUnion(b.box) >= 0.3
    }

    private static func largestFirst(_ faces: [DetectedFace]) -> [DetectedFace] {
        faces.sorted { $0.box.area > $1.box.area }
    }

    /// The face nearest `face`'s box in `equalized` (the frame, gray and histogram-equalised), if any.
    func search(around box: Rect, in equalized: Image) throws -> DetectedFace? {
        let side = Double(max(box.width, box.height))
        let margin = Int((side * settings.searchMargin).rounded())
        let window = Rect(x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin)
        guard let clipped = window.intersection(Rect(x: 0, y: 0, width: equalized.width, height: equalized.height)) else { return nil }
        let saved = detector.settings
        defer { detector.settings = saved }
        // Never smaller than the full pass looks (0 there means the cascade's own 24 px window).
        let fullPassMinimum = detector.minimumFaceSide(imageWidth: equalized.width, imageHeight: equalized.height)
        detector.settings.minFaceSize = max(Int((side / settings.sizeTolerance).rounded(.down)),
                                            fullPassMinimum > 0 ? Int(fullPassMinimum.rounded()) : 24)
        detector.settings.minFaceFraction = 0
        detector.settings.maxFaceSize = Int((side * settings.sizeTolerance).rounded(.up))
        detector.settings.minNeighbours = settings.localMinNeighbours
        detector.settings.equalize = false
        let candidates = try detector.detectFaces(in: equalized.cropped(to: clipped)).map { candidate -> DetectedFace in
            var f = candidate
            f.box = Rect(x: candidate.box.x + clipped.x, y: candidate.box.y + clipped.y,
                         width: candidate.box.width, height: candidate.box.height)
            return f
        }
        // The candidate overlapping the old box most is the same face (ties: better supported).
        return candidates.max { a, b in
            let (ia, ib) = (a.box.intersectionOverUnion(box), b.box.intersectionOverUnion(box))
            return ia != ib ? ia < ib : a.neighbours < b.neighbours
        }
    }
}
