import SmileBenchmarks
import XCTest
@testable import SmileKit

/// The per-megapixel, per-face fit `smile-bench photos` prints.
final class PhotoCostModelTests: XCTestCase {
    /// Photos of varied sizes and faces (not proportional to each other).
    private let shapes: [(Double, Int)] = [(0.8, 1), (0.8, 31), (0.34, 37), (0.15, 2), (0.62, 88), (0.5, 4), (0.73, 20)]

    func testRecoversTheCoefficientsOfExactData() throws {
        let truth = PhotoCostModel(detectPerMegapixel: 90, detectPerFace: 0.65, classifyPerFace: 0.9, otherPerMegapixel: 9)
        let samples = shapes.map { m, f in
            PhotoCostModel.Sample(megapixels: m, faces: f, detect: truth.detectPerMegapixel * m + truth.detectPerFace * Double(f),
                                  classify: truth.classifyPerFace * Double(f), other: truth.otherPerMegapixel * m)
        }
        let model = try XCTUnwrap(PhotoCostModel.fit(samples))
        XCTAssertEqual(model.detectPerMegapixel, 90, accuracy: 1e-9)
        XCTAssertEqual(model.detectPerFace, 0.65, accuracy: 1e-9)
        XCTAssertEqual(model.classifyPerFace, 0.9, accuracy: 1e-9)
        XCTAssertEqual(model.otherPerMegapixel, 9, accuracy: 1e-9)
        XCTAssertEqual(model.rmsError, 0, accuracy: 1e-9)
    }

    /// On noisy data each fit's residuals are orthogonal to its regressors (the normal equations),
    /// and nudging a coefficient either way only raises the squared error.
    func testNoisyFitIsTheLeastSquaresOne() throws {
        var generator = SystemRandomNumberGenerator()
        let samples = shapes.map { m, f in
            PhotoCostModel.Sample(megapixels: m, faces: f,
                                  detect: 70 * m + 0.5 * Double(f) + Double.random(in: -8...8, using: &generator),
                                  classify: 1.1 * Double(f) + Double.random(in: -3...3, using: &generator),
                                  other: 6 * m + Double.random(in: -1...1, using: &generator))
        }
        let model = try XCTUnwrap(PhotoCostModel.fit(samples))
        func detectError(_ a: Double, _ b: Double) -> Double {
            samples.reduce(0) { $0 + pow($1.detect - a * $1.megapixels - b * Double($1.faces), 2) }
        }
        let residuals = samples.map { $0.detect - model.detectPerMegapixel * $0.megapixels - model.detectPerFace * Double($0.faces) }
        XCTAssertEqual(zip(residuals, samples).reduce(0) { $0 + $1.0 * $1.1.megapixels }, 0, accuracy: 1e-9)
        XCTAssertEqual(zip(residuals, samples).reduce(0) { $0 + $1.0 * Double($1.1.faces) }, 0, accuracy: 1e-9)
        let best = detectError(model.detectPerMegapixel, model.detectPerFace)
        for (da, db) in [(0.5, 0.0), (-0.5, 0.0), (0.0, 0.05), (0.0, -0.05)] {
            XCTAssertGreaterThan(detectError(model.detectPerMegapixel + da, model.detectPerFace + db), best)
        }
        let classifyError = { (c: Double) in samples.reduce(0) { $0 + pow($1.classify - c * Double($1.faces), 2) } }
        XCTAssertGreaterThan(classifyError(model.classifyPerFace + 0.01), classifyError(model.classifyPerFace))
        XCTAssertGreaterThan(classifyError(model.classifyPerFace - 0.01), classifyError(model.classifyPerFace))
        let totals = samples.map { $0.detect + $0.classify + $0.other }
        let rms = (zip(samples, totals).reduce(0) { $0 + pow($1.1 - model.milliseconds(megapixels: $1.0.megapixels, faces: $1.0.faces), 2) }
            / Double(samples.count)).squareRoot()
        XCTAssertEqual(model.rmsError, rms, accuracy: 1e-9)
    }

    func testNoFitWhenPixelsAndFacesCannotBeToldApart() {
        let sample = { (m: Double, f: Int) in PhotoCostModel.Sample(megapixels: m, faces: f, detect: 50, classify: 5, other: 3) }
        XCTAssertNil(PhotoCostModel.fit([sample(0.8, 3)]), "one photo")
        XCTAssertNil(PhotoCostModel.fit([sample(0.8, 0), sample(0.4, 0), sample(0.6, 0)]), "no faces")
        XCTAssertNil(PhotoCostModel.fit([sample(0.8, 1), sample(0.4, 1), sample(0.6, 2), sample(0.3, 1)]),
                     "portraits: one or two faces each say nothing of a face's cost")
        XCTAssertNil(PhotoCostModel.fit([sample(0.8, 4), sample(0.4, 2), sample(0.2, 1)]), "faces in proportion to pixels")
        XCTAssertNotNil(PhotoCostModel.fit([sample(0.8, 4), sample(0.4, 3), sample(0.5, 9)]))
    }

    func testFacesWithinABudget() {
        let model = PhotoCostModel(detectPerMegapixel: 90, detectPerFace: 0.65, classifyPerFace: 0.9, otherPerMegapixel: 10)
        // 100 ms less 80 ms for 0.8 MP leaves 20 ms: 12 faces at 1.55 ms (12.9).
        XCTAssertEqual(model.faces(within: 100, megapixels: 0.8), 12)
        XCTAssertEqual(model.milliseconds(megapixels: 0.8, faces: 12), 80 + 12 * 1.55, accuracy: 1e-9)
        XCTAssertNil(model.faces(within: 100, megapixels: 1.1), "the pixels alone take 110 ms")
        XCTAssertEqual(model.faces(within: 100, megapixels: 0.99), 0, "99 ms for the pixels, no room for a face")
    }
}
