import XCTest
@testable import SmileKit

final class MetricsTests: XCTestCase {
    /// 3 positives (0.9, 0.8, 0.3), 3 negatives (0.6, 0.2, 0.1).
    let small = [
        ScoredLabel(label: 1, probability: 0.9), ScoredLabel(label: 1, probability: 0.8),
        ScoredLabel(label: 1, probability: 0.3), ScoredLabel(label: 0, probability: 0.6),
        ScoredLabel(label: 0, probability: 0.2), ScoredLabel(label: 0, probability: 0.1),
    ]

    func testSmallSetByHand() throws {
        let m = BinaryMetrics(samples: small, threshold: 0.5)
        XCTAssertEqual(m.confusion, ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 2, falseNegatives: 1))
        XCTAssertEqual(try XCTUnwrap(m.accuracy), 4.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.precision), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.recall), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.specificity), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.f1), 2.0 / 3, accuracy: 1e-12)
    }

    func testThresholdIsInclusive() {
        let m = BinaryMetrics(samples: [ScoredLabel(label: 1, probability: 0.5)], threshold: 0.5)
        XCTAssertEqual(m.confusion.truePositives, 1)
    }

    func testEmptyPositiveClass() {
        let m = BinaryMetrics(samples: [ScoredLabel(label: 0, probability: 0.2), ScoredLabel(label: 0, probability: 0.7)])
        XCTAssertEqual(m.accuracy, 0.5)
        XCTAssertNil(m.recall)
        XCTAssertEqual(m.precision, 0)  // one false positive, no true positives
        XCTAssertNil(m.f1)
        XCTAssertEqual(m.specificity, 0.5)
        XCTAssertNil(ROCCurve(samples: [ScoredLabel(label: 0, probability: 0.2)]).auc)
    }

    func testEmptyNegativeClass() {
        let m = BinaryMetrics(samples: [ScoredLabel(label: 1, probability: 0.2), ScoredLabel(label: 1, probability: 0.1)])
        XCTAssertEqual(m.accuracy, 0)
        XCTAssertNil(m.precision)  // nothing predicted positive
        XCTAssertEqual(m.recall, 0)
        XCTAssertNil(m.specificity)
        XCTAssertNil(m.f1)
        let e = ModeEvaluation(name: "x", samples: [ScoredLabel(label: 1, probability: 0.9)])
        XCTAssertNil(e.roc.auc)
        XCTAssertNil(e.aucCI)
        XCTAssertTrue(e.roc.points.isEmpty)
    }

    func testEmptySet() {
        let m = BinaryMetrics(samples: [ScoredLabel]())
        XCTAssertNil(m.accuracy)
        XCTAssertNil(WilsonInterval.interval(successes: 0, trials: 0))
        XCTAssertNil(Bootstrap.interval(samples: []) { _ in 1 })
    }

    func testF1ZeroWhenPrecisionAndRecallZero() {
        let m = BinaryMetrics(samples: [ScoredLabel(label: 1, probability: 0.1), ScoredLabel(label: 0, probability: 0.9)])
        XCTAssertEqual(m.f1, 0)
    }

    func testWilsonEightOfTen() throws {
        let ci = try XCTUnwrap(WilsonInterval.interval(successes: 8, trials: 10))
        XCTAssertEqual(ci.lower, 0.490, accuracy: 0.0005)
        XCTAssertEqual(ci.upper, 0.943, accuracy: 0.0005)
        let all = try XCTUnwrap(WilsonInterval.interval(successes: 10, trials: 10))
        XCTAssertEqual(all.upper, 1, accuracy: 1e-12)
        XCTAssertEqual(all.lower, 0.722, accuracy: 0.0005)
    }

    func testBootstrapIsDeterministicAndBracketsEstimate() throws {
        var samples: [ScoredLabel] = []
        var rng = SplitMix64(seed: 7)
        for i in 0..<200 {
            let label = i % 2
            let p = min(1, max(0, Double(rng.index(below: 1000)) / 1000 * 0.7 + (label == 1 ? 0.3 : 0)))
            samples.append(ScoredLabel(label: label, probability: p))
        }
        let a = ModeEvaluation(name: "a", samples: samples, bootstrapReplicates: 300, seed: 42)
        let b = ModeEvaluation(name: "a", samples: samples, bootstrapReplicates: 300, seed: 42)
        XCTAssertEqual(a.f1CI, b.f1CI)
        XCTAssertEqual(a.aucCI, b.aucCI)
        let f1 = try XCTUnwrap(a.metrics.f1), f1CI = try XCTUnwrap(a.f1CI)
        XCTAssertLessThanOrEqual(f1CI.lower, f1)
        XCTAssertGreaterThanOrEqual(f1CI.upper, f1)
        let auc = try XCTUnwrap(a.roc.auc), aucCI = try XCTUnwrap(a.aucCI)
        XCTAssertLessThanOrEqual(aucCI.lower, auc)
        XCTAssertGreaterThanOrEqual(aucCI.upper, auc)
        XCTAssertLessThan(aucCI.upper - aucCI.lower, 0.3)
        let c = ModeEvaluation(name: "a", samples: samples, bootstrapReplicates: 300, seed: 43)
        XCTAssertNotEqual(a.aucCI, c.aucCI)
    }

    func testQuantile() {
        XCTAssertEqual(Bootstrap.quantile([1, 2, 3, 4, 5], 0.5), 3)
        XCTAssertEqual(Bootstrap.quantile([1, 2], 0.25), 1.25)
    }
}
