import SmileVision

/// A detection paired with the ground-truth box it found.
public struct BoxMatch: Hashable, Sendable, Codable {
    /// Index into the detections.
    public var detection: Int
    /// Index into the ground-truth boxes.
    public var truth: Int
    /// Their IoU.
    public var iou: Double

    /// Creates a match.
    public init(detection: Int, truth: Int, iou: Double) {
        self.detection = detection
        self.truth = truth
        self.iou = iou
    }
}

/// The outcome of matching one image's detections to its ground truth.
public struct BoxMatchResult: Hashable, Sendable, Codable {
    /// Matched pairs, highest IoU first.
    public var matches: [BoxMatch]
    /// Indices of ground-truth boxes no detection matched, ascending.
    public var missedTruths: [Int]
    /// Indices of detections that matched no ground-truth box, ascending.
    public var falseDetections: [Int]
}

/// Greedy one-to-one matching of detections to ground-truth boxes.
public enum BoxMatcher {
    /// The usual PASCAL VOC criterion.
    public static let defaultMinimumIoU = 0.5

    /// Matches pairs with IoU >= `minimumIoU`, highest IoU first, each box used once.
    ///
    /// Equal IoUs are taken in (detection index, truth index) order, so the
    /// result is deterministic.
    public static func match(detections: [Rect], truths: [Rect],
                             minimumIoU: Double = defaultMinimumIoU) -> BoxMatchResult {
        var candidates: [BoxMatch] = []
        for (d, det) in detections.enumerated() {
            for (t, truth) in truths.enumerated() {
                let v = det.intersectionOverUnion(truth)
                if v >= minimumIoU && v > 0 { candidates.append(BoxMatch(detection: d, truth: t, iou: v)) }
            }
        }
        candidates.sort {
            ($0.iou, -$0.detection, -$0.truth) > ($1.iou, -$1.detection, -$1.truth)
        }
        var usedDetections = Set<Int>(), usedTruths = Set<Int>()
        var matches: [BoxMatch] = []
        for c in candidates where !usedDetections.contains(c.detection) && !usedTruths.contains(c.truth) {
            usedDetections.insert(c.detection)
            usedTruths.insert(c.truth)
            matches.append(c)
        }
        return BoxMatchResult(
            matches: matches,
            missedTruths: truths.indices.filter { !usedTruths.contains($0) },
            falseDetections: detections.indices.filter { !usedDetections.contains($0) })
    }
}

/// Face-size buckets by a box's larger side in pixels.
public enum FaceSizeBucket: Int, CaseIterable, Hashable, Sendable, Codable, Comparable {
    /// Larger side < 32 px.
    case under32
    /// 32 <= larger side < 64 px.
    case from32To64
    /// 64 <= larger side < 128 px.
    case from64To128
    /// Larger side >= 128 px.
    case atLeast128

    /// The bucket of `box`, by its larger side.
    public init(box: Rect) {
        switch box.largerSide {
        case ..<32: self = .under32
        case 32..<64: self = .from32To64
        case 64..<128: self = .from64To128
        default: self = .atLeast128
        }
    }

    /// Human-readable range, e.g. "32–64 px".
    public var label: String {
        switch self {
        case .under32: return "< 32 px"
        case .from32To64: return "32–64 px"
        case .from64To128: return "64–128 px"
        case .atLeast128: return "≥ 128 px"
        }
    }

    /// Orders buckets from small to large.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Detection counts for a set of images or one size bucket.
public struct DetectionCounts: Hashable, Sendable, Codable {
    /// Ground-truth boxes.
    public var truths = 0
    /// Ground-truth boxes that a detection matched (= true detections).
    public var matched = 0
    /// Missed ground-truth boxes.
    public var missed = 0
    /// Detections that matched nothing.
    public var falseDetections = 0

    /// Creates zero counts.
    public init() {}

    /// These counts and `other`'s summed.
    public func adding(_ other: DetectionCounts) -> DetectionCounts {
        var sum = self
        sum.truths += other.truths
        sum.matched += other.matched
        sum.missed += other.missed
        sum.falseDetections += other.falseDetections
        return sum
    }

    /// matched / truths; nil when there are no ground-truth boxes.
    public var recall: Double? { BinaryMetrics.ratio(matched, truths) }
    /// matched / (matched + false detections); nil when there are no detections.
    public var precision: Double? { BinaryMetrics.ratio(matched, matched + falseDetections) }
}

/// Detection recall and precision, overall and by face size.
///
/// Matched pairs and missed boxes are bucketed by the ground-truth box's
/// size; false detections by their own size. A bucket's precision is
/// therefore matched-in-bucket / (matched-in-bucket + false-in-bucket).
public struct DetectionStatistics: Hashable, Sendable, Codable {
    /// Totals over all images.
    public var overall = DetectionCounts()
    /// Counts per size bucket; every bucket is present.
    public var byBucket: [FaceSizeBucket: DetectionCounts] =
        Dictionary(uniqueKeysWithValues: FaceSizeBucket.allCases.map { ($0, DetectionCounts()) })
    /// Number of images added.
    public var images = 0

    /// Creates empty statistics.
    public init() {}

    /// Matches one image's detections to its ground truth and adds the outcome.
    @discardableResult
    public mutating func add(detections: [Rect], truths: [Rect],
                             minimumIoU: Double = BoxMatcher.defaultMinimumIoU) -> BoxMatchResult {
        let result = BoxMatcher.match(detections: detections, truths: truths, minimumIoU: minimumIoU)
        images += 1
        overall.truths += truths.count
        overall.matched += result.matches.count
        overall.missed += result.missedTruths.count
        overall.falseDetections += result.falseDetections.count
        for t in truths { byBucket[FaceSizeBucket(box: t), default: DetectionCounts()].truths += 1 }
        for m in result.matches { byBucket[FaceSizeBucket(box: truths[m.truth]), default: DetectionCounts()].matched += 1 }
        for t in result.missedTruths { byBucket[FaceSizeBucket(box: truths[t]), default: DetectionCounts()].missed += 1 }
        for d in result.falseDetections {
            byBucket[FaceSizeBucket(box: detections[d]), default: DetectionCounts()].falseDetections += 1
        }
        return result
    }

    /// These statistics and `other`'s together, as if both images' matches had been added to one.
    public func adding(_ other: DetectionStatistics) -> DetectionStatistics {
        var sum = self
        sum.images += other.images
        sum.overall = overall.adding(other.overall)
        for (bucket, counts) in other.byBucket { sum.byBucket[bucket] = sum.byBucket[bucket, default: DetectionCounts()].adding(counts) }
        return sum
    }
}
