import XCTest
@testable import SmileKit
import SmileNN
import SmileVision

/// A batch of faces split over compute threads (`SmileModel.setComputeThreads`): the parts, and
/// each part's probabilities exactly those of its own pass through an unsplit model.
final class ModelComputeThreadsTests: XCTestCase {
    /// `count` deterministic noise crops of the tiny model's 32x32 gray input.
    private func crops(_ count: Int) -> [Image] {
        var state: UInt64 = 99
        return (0..<count).map { _ in
            Image(width: 32, height: 32, channels: 1, pixels: (0..<32 * 32).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 40)
            })
        }
    }

    func testPartsCoverEveryFaceEvenlyWithEnoughFacesEach() {
        for faces in 0...41 {
            for threads in 1...5 {
                let parts = SmileModel.parts(faces: faces, threads: threads)
                XCTAssertEqual(parts.count, max(1, min(threads, faces / SmileModel.minimumFacesPerThread)), "\(faces) faces, \(threads) threads")
                XCTAssertEqual(parts.first?.lowerBound, 0)
                XCTAssertEqual(parts.last?.upperBound, faces)
                for (a, b) in zip(parts, parts.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
                let sizes = parts.map(\.count)
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(faces) faces, \(threads) threads: \(sizes)")
                if parts.count > 1 { XCTAssertGreaterThanOrEqual(sizes.min()!, SmileModel.minimumFacesPerThread) }
            }
        }
    }

    func testSplitBatchGivesEachPartTheProbabilitiesOfItsOwnPass() throws {
        let split = Fixtures.tinyModel(seed: 3)
        try split.setComputeThreads(3)
        XCTAssertEqual(split.computeThreads, 3)
        let reference = Fixtures.tinyModel(seed: 3)
        let faces = crops(14)
        let parts = SmileModel.parts(faces: faces.count, threads: 3)
        XCTAssertEqual(parts.count, 3)
        let expected = parts.flatMap { reference.smileProbabilities(Array(faces[$0])) }
        let probabilities = split.smileProbabilities(faces)
        XCTAssertEqual(probabilities, expected)
        XCTAssertGreaterThan(Set(probabilities).count, 10, "different faces, different probabilities")
        // The whole batch at once differs at most in rounding.
        for (p, q) in zip(probabilities, reference.smileProbabilities(faces)) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        // Twice the same (each copy reuses its buffers).
        XCTAssertEqual(split.smileProbabilities(faces), probabilities)
    }

    /// `setPrecision` reaches every copy, whether set before or after the copies are made.
    func testPrecisionReachesEveryCopy() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "bfloat16 needs AVX-512 BF16")
        let faces = crops(14)
        let parts = SmileModel.parts(faces: faces.count, threads: 3)
        let reference = Fixtures.tinyModel(seed: 5)
        reference.setPrecision(.bfloat16)
        let expected = parts.flatMap { reference.smileProbabilities(Array(faces[$0])) }
        let before = Fixtures.tinyModel(seed: 5)
        before.setPrecision(.bfloat16)
        try before.setComputeThreads(3)
        let after = Fixtures.tinyModel(seed: 5)
        try after.setComputeThreads(3)
        after.setPrecision(.bfloat16)
        XCTAssertEqual(before.smileProbabilities(faces), expected)
        XCTAssertEqual(after.smileProbabilities(faces), expected)
        let float = parts.flatMap { Fixtures.tinyModel(seed: 5).smileProbabilities(Array(faces[$0])) }
        XCTAssertNotEqual(expected, float, "bfloat16 rounds")
    }

    func testFewFacesStayOnOneThread() throws {
        let split = Fixtures.tinyModel(seed: 4)
        try split.setComputeThreads(4)
        let faces = crops(2 * SmileModel.minimumFacesPerThread - 1)
        XCTAssertEqual(split.smileProbabilities(faces), Fixtures.tinyModel(seed: 4).smileProbabilities(faces))
        XCTAssertEqual(split.smileProbabilities([]), [])
    }
}
