import SmileVision

/// Finds the faces of consecutive video frames cheaply: a full detection pass every few frames,
/// and in between a search only around the faces seen recently.
///
/// A full pass looks at the whole frame at every scale, which costs 100-300 ms at 640x360 on one
/// core. Faces move little from one frame to the next, so between full passes each recent face is
/// looked for only in a window around its last box (`searchMargin` box sides on every side) and at
/// sizes within `sizeTolerance` of its own, with the detector's own passes and settings: a few
/// small pyramid levels of a small window, well under a millisecond for a typical face. A face
/// not found there (or by a full pass) is looked for again, around its last box, for up to
/// `keepMissing` frames. New faces appear at the next full pass, so at most
/// `fullPassInterval - 1` frames late.
/// Not thread-safe (the detector is not).
public final class VideoFaceDetector {
    /// How often the full pass runs and how the local search looks.
    public struct Settings: Sendable, Equatable {
        /// A full pass every this many frames (1: every frame, no local search).
        public var fullPassInterval = 1
        /// Search window margin around a face's last box, in box sides on each side.
        public var searchMargin = 0.5
        /// Sizes searched: from side / this to side * this.
        public var sizeTolerance = 2.0
        /// Raw detections a box needs in the local search. Lower than a full pass needs: the window
        /// is known to have held a face, and the narrow size range gathers fewer raw windows.
        public var localMinNeighbours = 2
        /// Frames a face may go unfound (by either pass) and still be searched for around its last box:
        /// the frontal cascade loses a turning head for a few frames at a time.
        public var keepMissing = 25
        public init() {}
    }

    private struct RecentFace {
        var face: DetectedFace
        var missed: Int
    }

    /// The single-frame detector used for both kinds of pass.
    public let detector: FaceDetector
    /// The settings in use.
    public let settings: Settings
    /// Full passes run so far.
    public private(set) var fullPasses = 0
    /// Local searches (one per recent face per in-between frame) run so far.
    public private(set) var localSearches = 0
    private var recent: [RecentFace] = []
    private var framesSinceFullPass = 0

    public init(detector: FaceDetector, settings: Settings = Settings()) {
        self.detector = detector
        self.settings = settings
    }

    /// Faces of the next frame, largest first. Call with every frame, in order.
    public func detectFaces(in image: Image) throws -> [DetectedFace] {
        if fullPasses == 0 || framesSinceFullPass + 1 >= settings.fullPassInterval {
            let faces = try detector.detectFaces(in: image)
            fullPasses += 1
            framesSinceFullPass = 0
            // Faces the full pass missed this time are still searched for, until they are too long gone.
            let lost = recent.filter { item in
                item.missed < settings.keepMissing && faces.allSatisfy { $0.box.intersectionOverUnion(item.face.box) < 0.3 }
            }
            recent = faces.map { RecentFace(face: $0, missed: 0) } + lost.map { RecentFace(face: $0.face, missed: $0.missed + 1) }
            return faces
        }
        framesSinceFullPass += 1
        var found: [DetectedFace] = []
        var missing: [RecentFace] = []
        // Equalised as a whole, as the full pass sees it: windows equalised alone lose faces.
        let equalized = recent.isEmpty ? image : image.grayscale().equalized()
        for item in recent {
            localSearches += 1
            if let face = try search(around: item.face, in: equalized) {
                found.append(face)
            } else if item.missed < settings.keepMissing {
                missing.append(RecentFace(face: item.face, missed: item.missed + 1))
            }
        }
        // Two recent faces may have found the same face: keep one.
        found = NonMaximumSuppression.suppress(found, iouThreshold: detector.settings.nmsIoU)
        // Remember what was found, and the faces still missing unless found elsewhere by another search.
        recent = found.map { RecentFace(face: $0, missed: 0) } + missing.filter { item in
            item.missed > 0 && found.allSatisfy { $0.box.intersectionOverUnion(item.face.box) < 0.3 }
        }
        return found.sorted { $0.box.area > $1.box.area }
    }

    /// Drops what the local search remembers, so the next frame gets a full pass (e.g. after a cut).
    public func reset() {
        recent = []
        framesSinceFullPass = 0
        fullPasses = 0
    }

    /// The face nearest `face`'s box in `equalized` (the frame, gray and histogram-equalised), if any.
    func search(around face: DetectedFace, in equalized: Image) throws -> DetectedFace? {
        let box = face.box
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
