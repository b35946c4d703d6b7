/// How well predicted smile probabilities match how often faces really smile: a reliability
/// diagram's bins and the expected calibration error (ECE).
///
/// Probabilities are put into `binCount` equal-width bins over [0, 1] (1.0 goes in the last).
/// For each non-empty bin the mean predicted probability is set against the fraction of its
/// faces that smile; ECE is the mean gap, weighted by each bin's share of the faces
/// (Naeini et al. 2015; Guo et al. 2017 use the same, on the top class's confidence).
public struct Calibration: Sendable, Codable, Equatable {
    /// One bin of the reliability diagram.
    public struct Bin: Sendable, Codable, Equatable {
        /// The bin's probability range.
        public var lower: Double, upper: Double
        /// Faces in the bin.
        public var count: Int
        /// Their mean predicted probability of smiling.
        public var meanProbability: Double
        /// The fraction of them that smile.
        public var observedRate: Double
    }

    /// The non-empty bins, in order of probability.
    public var bins: [Bin]
    /// Expected calibration error: sum over bins of (count / total) * |observed - mean probability|; nil without samples.
    public var expectedError: Double?

    /// The default number of bins.
    public static let defaultBinCount = 10

    /// Bins `samples` into `binCount` equal-width bins.
    public init(samples: [ScoredLabel], binCount: Int = Calibration.defaultBinCount) {
        precondition(binCount > 0, "Calibration: binCount must be positive")
        var counts = [Int](repeating: 0, count: binCount)
        var probabilitySums = [Double](repeating: 0, count: binCount)
        var positives = [Int](repeating: 0, count: binCount)
        for s in samples {
            let p = min(1, max(0, s.probability))
            let index = min(binCount - 1, Int(p * Double(binCount)))
            counts[index] += 1
            probabilitySums[index] += p
            if s.label == 1 { positives[index] += 1 }
        }
        bins = (0..<binCount).filter { counts[$0] > 0 }.map { i in
            Bin(lower: Double(i) / Double(binCount), upper: Double(i + 1) / Double(binCount), count: counts[i],
                meanProbability: probabilitySums[i] / Double(counts[i]), observedRate: Double(positives[i]) / Double(counts[i]))
        }
        let total = Double(samples.count)
        expectedError = samples.isEmpty ? nil
            : bins.reduce(0) { $0 + Double($1.count) / total * abs($1.observedRate - $1.meanProbability) }
    }
}
