/// One point of an ROC curve.
public struct ROCPoint: Hashable, Sendable, Codable {
    /// Threshold giving this point (predicted positive iff `probability >= threshold`);
    /// `+infinity` for the (0, 0) start.
    public var threshold: Double
    /// False-positive rate, fp / negatives.
    public var falsePositiveRate: Double
    /// True-positive rate (recall), tp / positives.
    public var truePositiveRate: Double

    /// Creates a point.
    public init(threshold: Double, falsePositiveRate: Double, truePositiveRate: Double) {
        self.threshold = threshold
        self.falsePositiveRate = falsePositiveRate
        self.truePositiveRate = truePositiveRate
    }
}

/// ROC curve and area under it, with tied scores handled exactly.
///
/// There is one point per unique score (all examples with that score change
/// class together), so ties give a diagonal segment and the trapezoid area
/// equals the Mann-Whitney U statistic with ties counting 1/2. With an empty
/// positive or negative class the rates are undefined: `points` is empty and
/// `auc` is nil.
public struct ROCCurve: Hashable, Sendable, Codable {
    /// Points from (0, 0) to (1, 1), thresholds decreasing.
    public var points: [ROCPoint]
    /// Area under the curve; nil when a class is empty.
    public var auc: Double?

    /// Builds the curve of `samples`.
    public init(samples: [ScoredLabel]) {
        let positives = samples.filter(\.isPositive).count
        let negatives = samples.count - positives
        guard positives > 0, negatives > 0 else {
            points = []
            auc = nil
            return
        }
        let sorted = samples.sorted { $0.probability > $1.probability }
        var pts = [ROCPoint(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0)]
        var tp = 0, fp = 0, i = 0
        var area = 0.0
        while i < sorted.count {
            let score = sorted[i].probability
            while i < sorted.count && sorted[i].probability == score {
                if sorted[i].isPositive { tp += 1 } else { fp += 1 }
                i += 1
            }
            let point = ROCPoint(threshold: score,
                                 falsePositiveRate: Double(fp) / Double(negatives),
                                 truePositiveRate: Double(tp) / Double(positives))
            let last = pts[pts.count - 1]
            area += (point.falsePositiveRate - last.falsePositiveRate)
                * (point.truePositiveRate + last.truePositiveRate) / 2
            pts.append(point)
        }
        points = pts
        auc = area
    }

    /// AUC as the Mann-Whitney statistic P(score⁺ > score⁻) + ½·P(score⁺ = score⁻), via mid-ranks.
    ///
    /// Independent of the curve; nil when a class is empty.
    public static func mannWhitneyAUC(samples: [ScoredLabel]) -> Double? {
        let positives = samples.filter(\.isPositive).count
        let negatives = samples.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let sorted = samples.sorted { $0.probability < $1.probability }
        var rankSum = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j].probability == sorted[i].probability { j += 1 }
            let midRank = Double(i + 1 + j) / 2  // ranks i+1 ... j
            for k in i..<j where sorted[k].isPositive { rankSum += midRank }
            i = j
        }
        let p = Double(positives), n = Double(negatives)
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }
}

/// Figures at the accuracy-maximising threshold and at the model's own threshold.
public struct ThresholdAnalysis: Hashable, Sendable, Codable {
    /// Metrics at the threshold that maximises accuracy.
    public var best: BinaryMetrics
    /// Metrics at the model's threshold.
    public var atModelThreshold: BinaryMetrics

    /// Analyses `samples` against `modelThreshold`.
    public init(samples: [ScoredLabel], modelThreshold: Double = 0.5) {
        best = Self.bestAccuracy(samples: samples)
        atModelThreshold = BinaryMetrics(samples: samples, threshold: modelThreshold)
    }

    /// Metrics at the threshold that maximises accuracy.
    ///
    /// Candidates are every unique score, 0.5, and the next value above the
    /// highest score (everything negative). Among candidates with equal
    /// accuracy the one nearest 0.5 wins; if two are equally near (within
    /// 1e-12), the lower.
    /// An empty set gives threshold 0.5.
    public static func bestAccuracy(samples: [ScoredLabel]) -> BinaryMetrics {
        guard let maxScore = samples.map(\.probability).max() else {
            return BinaryMetrics(samples: samples, threshold: 0.5)
        }
        var candidates = Set(samples.map(\.probability))
        candidates.insert(0.5)
        candidates.insert(maxScore.nextUp)
        var best: (metrics: BinaryMetrics, correct: Int)?
        for t in candidates.sorted() {
            let m = BinaryMetrics(samples: samples, threshold: t)
            let correct = m.confusion.truePositives + m.confusion.trueNegatives
            if let b = best {
                // Distances within 1e-12 count as equal, so 0.3 and 0.7 tie (then the lower, seen first, stays).
                if correct > b.correct
                    || (correct == b.correct && abs(t - 0.5) < abs(b.metrics.threshold - 0.5) - 1e-12) {
                    best = (m, correct)
                }
            } else {
                best = (m, correct)
            }
        }
        return best!.metrics
    }
}
