import SmileKit
import XCTest

final class CalibrationTests: XCTestCase {
    func testHandComputedExpectedError() {
        // Bin 0.1-0.2: p 0.1 and 0.15 (mean 0.125), one of two smiling (0.5): gap 0.375, weight 2/5.
        // Bin 0.9-1.0: p 0.9, 0.95, 1.0 (mean 0.95), all smiling (1.0): gap 0.05, weight 3/5.
        // ECE = 0.4 * 0.375 + 0.6 * 0.05 = 0.18.
        let samples = [(1, 0.1), (0, 0.15), (1, 0.9), (1, 0.95), (1, 1.0)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let calibration = Calibration(samples: samples)
        XCTAssertEqual(calibration.bins.count, 2)
        XCTAssertEqual(calibration.bins[0].count, 2)
        XCTAssertEqual(calibration.bins[0].lower, 0.1, accuracy: 1e-12)
        XCTAssertEqual(calibration.bins[0].meanProbability, 0.125, accuracy: 1e-12)
        XCTAssertEqual(calibration.bins[0].observedRate, 0.5, accuracy: 1e-12)
        XCTAssertEqual(calibration.bins[1].count, 3, "1.0 belongs in the last bin")
        XCTAssertEqual(calibration.expectedError!, 0.18, accuracy: 1e-12)
    }

    func testPerfectlyCalibratedAndEmpty() {
        // Half of the faces at p = 0.5 smile, all at p = 0 do not: no gap.
        let samples = [(1, 0.5), (0, 0.5), (0, 0.0), (0, 0.0)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        XCTAssertEqual(Calibration(samples: samples).expectedError!, 0, accuracy: 1e-12)
        XCTAssertNil(Calibration(samples: []).expectedError)
    }

    func testTheTextTableShowsIt() {
        let mode = ModeEvaluation(name: "m", samples: [ScoredLabel(label: 1, probability: 0.8), ScoredLabel(label: 0, probability: 0.4)],
                                  bootstrapReplicates: 10)
        // Bins 0.4-0.5 (gap 0.4) and 0.8-0.9 (gap 0.2), half the faces each.
        let line = EvaluationText.table([mode]).split(separator: "\n").first { $0.hasPrefix("calibration error (ECE)") }
        XCTAssertEqual(line?.split(separator: " ").last, "0.300", EvaluationText.table([mode]))
    }
}
