import SmileVision

/// Non-maximum suppression across cascades, scales and rotations: one box per face.
///
/// Boxes are taken best-supported first (most neighbours; ties go to the earlier pass in
/// `DetectedFace.Pass` order, so an upright frontal box wins a tie); a box whose IoU with an
/// already kept box is at least `iouThreshold` is the same face and is dropped. The default
/// threshold 0.3 is lower than the 0.5 used for evaluation because boxes of one face from
/// different cascades, scales and rotations overlap loosely (a profile box is narrower and
/// offset, a rotated pass's box is centred slightly differently), while boxes of two distinct
/// faces rarely overlap by 0.3. A box lying mostly inside a kept box (at least `containment` of
/// its area) is dropped too, whatever their IoU: a face inside a face is a false detection (in
/// frame 0 of facenet_group.mp4 the cascade put a second box 79% inside a boy's face box, IoU 0.47
/// only when the boxes are alike in size, 0.3 or less when one is much smaller).
public enum NonMaximumSuppression {
    /// IoU at or above which two boxes are one face.
    public static let defaultIoUThreshold = 0.3
    /// Fraction of a box's area inside a kept box at or above which it is dropped.
    public static let defaultContainment = 0.7

    /// A kept box and the boxes it suppressed (indices into the input, the kept one first).
    public struct Cluster: Equatable, Sendable {
        public var kept: Int
        public var members: [Int]
    }

    /// Groups `faces` into clusters, one per face, best-supported first.
    ///
    /// With `minimumAreaRatio` above 0, a box inside another counts as the same face only when its
    /// area is at least that fraction of the other's: two boxes of one face from a single pass are
    /// alike in size, while a small box inside a large one may be a real face inside a false box or
    /// a false face (an eye, a mouth) inside a real one, and the support cannot tell which.
    public static func clusters(_ faces: [DetectedFace], iouThreshold: Double = defaultIoUThreshold,
                                containment: Double = defaultContainment, minimumAreaRatio: Double = 0) -> [Cluster] {
        let passOrder = Dictionary(uniqueKeysWithValues: DetectedFace.Pass.allCases.enumerated().map { ($1, $0) })
        let order = faces.indices.sorted { i, j in
            let a = faces[i], b = faces[j]
            if a.neighbours != b.neighbours { return a.neighbours > b.neighbours }
            if a.pass != b.pass { return passOrder[a.pass]! < passOrder[b.pass]! }
            if abs(a.angle) != abs(b.angle) { return abs(a.angle) < abs(b.angle) }
            return i < j
        }
        var clusters: [Cluster] = []
        for i in order {
            let box = faces[i].box
            if let c = clusters.firstIndex(where: { sameFace(box, faces[$0.kept].box, iouThreshold, containment, minimumAreaRatio) }) {
                clusters[c].members.append(i)
            } else {
                clusters.append(Cluster(kept: i, members: [i]))
            }
        }
        return clusters
    }

    /// The kept faces, best-supported first.
    public static func suppress(_ faces: [DetectedFace], iouThreshold: Double = defaultIoUThreshold,
                                containment: Double = defaultContainment, minimumAreaRatio: Double = 0) -> [DetectedFace] {
        clusters(faces, iouThreshold: iouThreshold, containment: containment, minimumAreaRatio: minimumAreaRatio).map { faces[$0.kept] }
    }

    /// The kept faces of one pass, in their input order: `suppress` without reordering, so that a
    /// pass in which no box lies inside another gives its faces exactly as before (ties in size
    /// keep the cascade's grouping order when sorted largest first).
    public static func suppressInOrder(_ faces: [DetectedFace], iouThreshold: Double = defaultIoUThreshold,
                                       minimumAreaRatio: Double = singlePassAreaRatio) -> [DetectedFace] {
        let kept = Set(clusters(faces, iouThreshold: iouThreshold, minimumAreaRatio: minimumAreaRatio).map(\.kept))
        return faces.indices.filter(kept.contains).map { faces[$0] }
    }

    /// The area ratio above which boxes of one pass nested in each other are one face (see `clusters`).
    public static let singlePassAreaRatio = 0.25

    /// Whether boxes `a` and `b` are one face: IoU at least `iouThreshold`, or at least `containment`
    /// of the smaller one's area inside the other (when that is at least `minimumAreaRatio` of the larger's).
    public static func sameFace(_ a: Rect, _ b: Rect, _ iouThreshold: Double = defaultIoUThreshold,
                                _ containment: Double = defaultContainment, _ minimumAreaRatio: Double = 0) -> Bool {
        if a.intersectionOverUnion(b) >= iouThreshold { return true }
        let inter = Double(a.intersection(b)?.area ?? 0)
        let smaller = Double(min(a.area, b.area)), larger = Double(max(a.area, b.area))
        return smaller > 0 && inter / smaller >= containment && smaller >= minimumAreaRatio * larger
    }
}
