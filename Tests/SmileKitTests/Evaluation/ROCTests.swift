import XCTest
@testable import SmileKit

final class ROCTests: XCTestCase {
    func testKnownAUCByHand() throws {
        // Positives 0.9, 0.8, 0.3; negatives 0.6, 0.2, 0.1: 8 of 9 pairs ordered correctly.
        let samples = [(1, 0.9), (1, 0.8), (1, 0.3), (0, 0.6), (0, 0.2), (0, 0.1)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let roc = ROCCurve(samples: samples)
        XCTAssertEqual(try XCTUnwrap(roc.auc), 8.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(ROCCurve.mannWhitneyAUC(samples: samples)), 8.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(roc.points.count, 7)
        XCTAssertEqual(roc.points.first?.falsePositiveRate, 0)
        XCTAssertEqual(roc.points.last?.truePositiveRate, 1)
        XCTAssertEqual(roc.points.last?.falsePositiveRate, 1)
    }

    func testAllScoresEqualGiveHalf() throws {
        let samples = [1, 0, 1, 0, 0].map { ScoredLabel(label: $0, probability: 0.42) }
        let roc = ROCCurve(samples: samples)
        XCTAssertEqual(try XCTUnwrap(roc.auc), 0.5, accuracy: 1e-12)
        XCTAssertEqual(roc.points.count, 2)  // (0,0) and (1,1): one diagonal segment
        XCTAssertEqual(try XCTUnwrap(ROCCurve.mannWhitneyAUC(samples: samples)), 0.5, accuracy: 1e-12)
    }

    func testTiesCountHalf() throws {
        // Positives 0.5, 0.7; negatives 0.5, 0.3: pairs 0.5 + 1 + 1 + 1 = 3.5 of 4.
        let samples = [(1, 0.5), (1, 0.7), (0, 0.5), (0, 0.3)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        XCTAssertEqual(try XCTUnwrap(ROCCurve(samples: samples).auc), 0.875, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(ROCCurve.mannWhitneyAUC(samples: samples)), 0.875, accuracy: 1e-12)
    }

    func testTrapezoidMatchesMannWhitneyOnRandomTiedData() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<20 {
            let samples = (0..<50).map { _ in
                ScoredLabel(label: rng.index(below: 2), probability: Double(rng.index(below: 6)) / 5)
            }
            guard let auc = ROCCurve(samples: samples).auc else { continue }
            XCTAssertEqual(auc, try XCTUnwrap(ROCCurve.mannWhitneyAUC(samples: samples)), accuracy: 1e-12)
        }
    }

    func testBestThresholdTiesPickNearestHalf() {
        // Accuracy: t=0.4 → 3/4, t=0.5 or 0.6 → 2/4, t=0.8 → 3/4; 0.4 is nearer 0.5.
        let samples = [(0, 0.2), (1, 0.4), (0, 0.6), (1, 0.8)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let analysis = ThresholdAnalysis(samples: samples, modelThreshold: 0.5)
        XCTAssertEqual(analysis.best.threshold, 0.4)
        XCTAssertEqual(analysis.best.accuracy, 0.75)
        XCTAssertEqual(analysis.atModelThreshold.threshold, 0.5)
        XCTAssertEqual(analysis.atModelThreshold.accuracy, 0.5)
    }

    func testBestThresholdPrefersHalfWhenOptimal() {
        let samples = [(0, 0.1), (0, 0.3), (1, 0.7), (1, 0.9)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let best = ThresholdAnalysis.bestAccuracy(samples: samples)
        XCTAssertEqual(best.threshold, 0.5)
        XCTAssertEqual(best.accuracy, 1)
    }

    func testBestThresholdEquidistantTakesLower() {
        // t=0.3 and t=0.7 both give 3/4 and are 0.2 from 0.5 (0.5 itself gives 2/4).
        let samples = [(0, 0.1), (1, 0.3), (0, 0.6), (1, 0.7)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        XCTAssertEqual(ThresholdAnalysis.bestAccuracy(samples: samples).threshold, 0.3)
    }

    func testBestThresholdCanBeAllNegative() throws {
        let samples = [(0, 0.9), (0, 0.8), (1, 0.1)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let best = ThresholdAnalysis.bestAccuracy(samples: samples)
        XCTAssertGreaterThan(best.threshold, 0.9)
        XCTAssertEqual(try XCTUnwrap(best.accuracy), 2.0 / 3, accuracy: 1e-12)
    }
}
