import XCTest
@testable import SmileNN

final class DirectConvolutionTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(PackedConvolutionWeights.isSupported, "the direct convolution needs AVX2 and FMA")
    }

    /// Widths of one to four vectors, odd and even heights (an odd last row is computed alone), one to
    /// twenty input channels, four to sixteen output channels, batch > 1, with and without bias and ReLU.
    func testDirectMatchesNaiveReference() {
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, bias: Bool, relu: Bool)] = [
            (1, 1, 4, 1, 8, true, false), (2, 1, 8, 8, 8, false, true), (1, 3, 4, 5, 16, true, true),
            (3, 8, 8, 7, 24, true, false), (1, 8, 16, 16, 32, false, false), (2, 16, 16, 9, 8, true, true),
            (1, 20, 12, 2, 16, true, true), (1, 2, 4, 3, 64, false, true),
        ]
        for (i, c) in cases.enumerated() {
            let conv = directTestConvolution(inputs: c.cin, outputs: c.cout, bias: c.bias, relu: c.relu, seed: UInt64(700 + i))
            XCTAssertTrue(conv.usesDirect(batch: c.n, height: c.h, width: c.w), "case \(i)")
            let x = randomTensor([c.n, c.cin, c.h, c.w], seed: UInt64(900 + i))
            let expected = referenceConvolution(x, of: conv, relu: c.relu)
            assertClose(conv.forward(x, training: false), expected, tolerance: 1e-5, "case \(i) \(c)")
            // Again with the same shape (buffers and packed weights reused).
            assertClose(conv.forward(x, training: false), expected, tolerance: 1e-5, "case \(i) repeat")
        }
    }

    /// Widths that are not whole vectors and output channels that are not fours fall back to the other paths.
    func testShapesTheKernelCannotComputeFallBack() {
        var rng = SeededRandom(seed: 31)
        let narrow = Conv2D(name: "c", inputChannels: 3, outputChannels: 6, rng: &rng)
        narrow.algorithm = .direct
        XCTAssertFalse(narrow.usesDirect(batch: 1, height: 8, width: 8), "6 output channels")
        let odd = Conv2D(name: "c", inputChannels: 3, outputChannels: 8, rng: &rng)
        odd.algorithm = .direct
        XCTAssertFalse(odd.usesDirect(batch: 1, height: 8, width: 12), "width 12")
        let x = randomTensor([2, 3, 5, 12], seed: 32)
        assertClose(odd.forward(x, training: false), referenceConvolution(x, weight: odd.weight.value, bias: odd.bias?.value, padding: 1),
                    tolerance: 1e-5, "fallback")
    }

    /// `auto` picks the direct kernel for up to 16 input channels only (measured faster there).
    func testAutoPicksDirectForFewInputChannels() {
        var rng = SeededRandom(seed: 41)
        XCTAssertTrue(Conv2D(name: "a", inputChannels: 16, outputChannels: 32, rng: &rng).usesDirect(batch: 1, height: 16, width: 16))
        XCTAssertFalse(Conv2D(name: "b", inputChannels: 32, outputChannels: 32, rng: &rng).usesDirect(batch: 1, height: 16, width: 16))
    }

    /// Inference after optimiser steps and after replacing the weights agrees with im2col: the packed
    /// weights are not stale.
    func testPackedWeightsFollowOptimizerStepsAndLoads() {
        var rng = SeededRandom(seed: 61)
        let conv = Conv2D(name: "c", inputChannels: 5, outputChannels: 8, rng: &rng)
        conv.bias!.value = randomTensor([8], seed: 62)
        assertCachedWeightsFollowUpdates(conv, input: randomTensor([2, 5, 6, 16], seed: 63), algorithm: .direct, seed: 64)
    }
}
