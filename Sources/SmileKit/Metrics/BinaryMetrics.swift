/// One classified example: its true label (1 = smiling, 0 = not) and the model's p(smile).
public struct ScoredLabel: Hashable, Sendable, Codable {
    /// True label: 1 = positive (smiling), anything else counts as negative.
    public var label: Int
    /// The model's probability of the positive class.
    public var probability: Double

    /// Creates a scored example.
    public init(label: Int, probability: Double) {
        self.label = label
        self.probability = probability
    }

    /// True when the label is the positive class (1).
    public var isPositive: Bool { label == 1 }
}

/// Counts of a binary classifier's outcomes at one threshold.
public struct ConfusionMatrix: Hashable, Sendable, Codable {
    /// Positives predicted positive.
    public var truePositives: Int
    /// Negatives predicted positive.
    public var falsePositives: Int
    /// Negatives predicted negative.
    public var trueNegatives: Int
    /// Positives predicted negative.
    public var falseNegatives: Int

    /// Creates a matrix from its four counts.
    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Counts outcomes; an example is predicted positive when `probability >= threshold`.
    public init<S: Sequence>(samples: S, threshold: Double) where S.Element == ScoredLabel {
        var tp = 0, fp = 0, tn = 0, fn = 0
        for s in samples {
            let predicted = s.probability >= threshold
            switch (s.isPositive, predicted) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (false, false): tn += 1
            case (true, false): fn += 1
            }
        }
        self.init(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    /// Number of examples.
    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    /// Number of truly positive examples.
    public var positives: Int { truePositives + falseNegatives }
    /// Number of truly negative examples.
    public var negatives: Int { trueNegatives + falsePositives }
    /// Number of examples predicted positive.
    public var predictedPositives: Int { truePositives + falsePositives }
}

/// Threshold metrics of a binary classifier.
///
/// Every ratio is `nil` when its denominator is zero (for example precision
/// when nothing was predicted positive, recall when the positive class is
/// empty); reports print `nil` as "n/a". F1 is `nil` when precision or recall
/// is `nil`, and 0 when both are 0.
public struct BinaryMetrics: Hashable, Sendable, Codable {
    /// The threshold used: predicted positive iff `probability >= threshold`.
    public var threshold: Double
    /// Outcome counts at `threshold`.
    public var confusion: ConfusionMatrix

    /// Computes the confusion matrix of `samples` at `threshold`.
    public init<S: Sequence>(samples: S, threshold: Double = 0.5) where S.Element == ScoredLabel {
        self.init(threshold: threshold, confusion: ConfusionMatrix(samples: samples, threshold: threshold))
    }

    /// Wraps an existing confusion matrix.
    public init(threshold: Double, confusion: ConfusionMatrix) {
        self.threshold = threshold
        self.confusion = confusion
    }

    /// (tp + tn) / n; nil for an empty set.
    public var accuracy: Double? {
        Self.ratio(confusion.truePositives + confusion.trueNegatives, confusion.total)
    }
    /// tp / (tp + fp); nil when nothing was predicted positive.
    public var precision: Double? {
        Self.ratio(confusion.truePositives, confusion.predictedPositives)
    }
    /// tp / (tp + fn), the true-positive rate; nil when there are no positives.
    public var recall: Double? {
        Self.ratio(confusion.truePositives, confusion.positives)
    }
    /// tn / (tn + fp), the true-negative rate; nil when there are no negatives.
    public var specificity: Double? {
        Self.ratio(confusion.trueNegatives, confusion.negatives)
    }
    /// Harmonic mean of precision and recall; nil when either is nil, 0 when both are 0.
    public var f1: Double? {
        guard let p = precision, let r = recall else { return nil }
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// `numerator / denominator`, or nil when the denominator is zero.
    public static func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }
}
