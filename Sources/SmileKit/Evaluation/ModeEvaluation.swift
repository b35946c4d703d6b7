/// All figures for one evaluation mode (e.g. "without detection"), ready to report.
public struct ModeEvaluation: Sendable, Codable {
    /// Display name, e.g. "without detection".
    public var name: String
    /// Metrics at the model's threshold.
    public var metrics: BinaryMetrics
    /// Wilson 95% interval of accuracy.
    public var accuracyCI: ConfidenceInterval?
    /// Wilson 95% interval of precision.
    public var precisionCI: ConfidenceInterval?
    /// Wilson 95% interval of recall.
    public var recallCI: ConfidenceInterval?
    /// Bootstrap 95% interval of F1.
    public var f1CI: ConfidenceInterval?
    /// ROC curve and AUC.
    public var roc: ROCCurve
    /// Bootstrap 95% interval of AUC.
    public var aucCI: ConfidenceInterval?
    /// Figures at the accuracy-maximising threshold and at the model threshold.
    public var thresholds: ThresholdAnalysis
    /// Reliability bins and expected calibration error of the probabilities.
    public var calibration: Calibration

    /// Computes every figure for `samples` (bootstrap is seeded, so the result is deterministic).
    public init(
        name: String,
        samples: [ScoredLabel],
        threshold: Double = 0.5,
        bootstrapReplicates: Int = Bootstrap.defaultReplicates,
        seed: UInt64 = Bootstrap.defaultSeed
    ) {
        self.name = name
        let m = BinaryMetrics(samples: samples, threshold: threshold)
        let c = m.confusion
        metrics = m
        accuracyCI = WilsonInterval.interval(successes: c.truePositives + c.trueNegatives, trials: c.total)
        precisionCI = WilsonInterval.interval(successes: c.truePositives, trials: c.predictedPositives)
        recallCI = WilsonInterval.interval(successes: c.truePositives, trials: c.positives)
        f1CI = Bootstrap.interval(samples: samples, replicates: bootstrapReplicates, seed: seed) {
            BinaryMetrics(samples: $0, threshold: threshold).f1
        }
        roc = ROCCurve(samples: samples)
        aucCI = roc.auc == nil ? nil
            : Bootstrap.interval(samples: samples, replicates: bootstrapReplicates, seed: seed &+ 1) {
                ROCCurve.mannWhitneyAUC(samples: $0)
            }
        thresholds = ThresholdAnalysis(samples: samples, modelThreshold: threshold)
        calibration = Calibration(samples: samples)
    }
}
