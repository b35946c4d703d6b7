/// A two-sided confidence interval.
public struct ConfidenceInterval: Hashable, Sendable, Codable {
    /// Lower bound.
    public var lower: Double
    /// Upper bound.
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Wilson score intervals for binomial proportions.
public enum WilsonInterval {
    /// The standard normal quantile for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval for `successes` out of `trials`; nil when `trials` is 0.
    public static func interval(successes: Int, trials: Int, z: Double = z95) -> ConfidenceInterval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half))
    }
}

/// SplitMix64: a small, fast, seedable generator, identical on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<bound` (multiply-high; bias below 2^-40 for any realistic bound).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

/// Seeded, deterministic percentile-bootstrap intervals.
///
/// Resampling is stratified: positives and negatives are each resampled with
/// replacement to their original counts, so every replicate has both classes
/// whenever the data does (AUC is then always defined). Replicates where the
/// statistic is nil are dropped; if none remain the interval is nil.
public enum Bootstrap {
    /// Default number of replicates.
    public static let defaultReplicates = 1000
    /// Default seed.
    public static let defaultSeed: UInt64 = 0x5EED_5311E

    /// Percentile interval of `statistic` over `replicates` stratified resamples of `samples`.
    public static func interval(
        samples: [ScoredLabel],
        replicates: Int = defaultReplicates,
        seed: UInt64 = defaultSeed,
        confidence: Double = 0.95,
        statistic: ([ScoredLabel]) -> Double?
    ) -> ConfidenceInterval? {
        guard !samples.isEmpty, replicates > 0 else { return nil }
        let positives = samples.filter(\.isPositive)
        let negatives = samples.filter { !$0.isPositive }
        var rng = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        var resample: [ScoredLabel] = []
        resample.reserveCapacity(samples.count)
        for _ in 0..<replicates {
            resample.removeAll(keepingCapacity: true)
            for _ in 0..<positives.count { resample.append(positives[rng.index(below: positives.count)]) }
            for _ in 0..<negatives.count { resample.append(negatives[rng.index(below: negatives.count)]) }
            if let v = statistic(resample), v.isFinite { values.append(v) }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        let alpha = (1 - confidence) / 2
        return ConfidenceInterval(lower: quantile(values, alpha), upper: quantile(values, 1 - alpha))
    }

    /// Linear-interpolation quantile of sorted values (type 7, as R's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty)
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
