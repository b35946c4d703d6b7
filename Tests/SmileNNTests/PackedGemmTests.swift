import SmileKernels
import XCTest
@testable import SmileNN

/// The packed-weight GEMM (SmileKernels) and `ConvolutionAlgorithm.packed` against naive references.
final class PackedGemmTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(PackedConvolutionWeights.isSupported, "this CPU lacks AVX2 or FMA")
    }

    /// `packedGemm` against a triple loop: rows not a multiple of 6, positions not a multiple of 16, depths
    /// around the 512-deep block, several position chunks, padded leading dimensions, bias and ReLU.
    func testPackedGemmMatchesTripleLoop() {
        let cases: [(m: Int, n: Int, k: Int)] = [
            (1, 1, 1), (5, 3, 7), (6, 16, 9), (7, 17, 512), (13, 35, 513), (64, 200, 1100), (12, 300, 20),
        ]
        for (i, c) in cases.enumerated() {
            for (bias, relu) in [(false, false), (true, true), (true, false)] {
                let lda = c.k + 1, ldb = c.n + 3, ldc = c.n + 2
                let a = randomTensor([c.m * lda], seed: UInt64(10 + i)).data
                let b = randomTensor([c.k * ldb], seed: UInt64(20 + i)).data
                let biasValues = randomTensor([c.m], seed: UInt64(30 + i)).data
                var expected = [Float](repeating: 0, count: c.m * ldc)
                for r in 0..<c.m {
                    for j in 0..<c.n {
                        var sum: Double = bias ? Double(biasValues[r]) : 0
                        for kk in 0..<c.k { sum += Double(a[r * lda + kk]) * Double(b[kk * ldb + j]) }
                        expected[r * ldc + j] = relu ? Float(max(sum, 0)) : Float(sum)
                    }
                }
                var packed = [Float](repeating: .nan, count: PackedGemmLayout.packedCount(m: c.m, k: c.k))
                var workspace = [Float](repeating: .nan, count: PackedGemmLayout.workspaceCount(n: c.n))
                let sentinel: Float = -1234
                var out = [Float](repeating: sentinel, count: c.m * ldc)
                a.withUnsafeBufferPointer { packWeights($0.baseAddress!, m: c.m, k: c.k, lda: lda, into: &packed) }
                packed.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        biasValues.withUnsafeBufferPointer { pbias in
                            packedGemm(
                                m: c.m, n: c.n, k: c.k, packedA: pa.baseAddress!, b: pb.baseAddress!, ldb: ldb,
                                bias: bias ? pbias.baseAddress! : nil, relu: relu, c: &out, ldc: ldc, workspace: &workspace)
                        }
                    }
                }
                for r in 0..<c.m {
                    for j in 0..<ldc {
                        let got = out[r * ldc + j]
                        if j >= c.n {
                            XCTAssertEqual(got, sentinel, "case \(i) \(c): wrote past the \(c.n) columns at row \(r)")
                        } else {
                            let want = expected[r * ldc + j]
                            XCTAssertEqual(got, want, accuracy: 1e-4 * max(1, Float(c.k).squareRoot()), "case \(i) \(c) [\(r), \(j)] bias \(bias) relu \(relu)")
                        }
                    }
                }
            }
        }
    }

    /// `Conv2D` with `.packed` against the naive convolution: odd sizes, channel counts not multiples of 6,
    /// positions not multiples of 16, several images per GEMM, 1x1 and 5x5 kernels, with and without bias and ReLU.
    func testPackedConvolutionMatchesNaiveReference() {
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int, pad: Int, bias: Bool, relu: Bool)] = [
            (1, 1, 1, 1, 1, 3, 1, true, false), (1, 3, 5, 5, 7, 3, 1, true, true), (2, 6, 7, 3, 3, 3, 1, false, true),
            (3, 5, 13, 4, 5, 3, 1, true, false), (1, 60, 17, 5, 7, 3, 1, true, true), (1, 4, 9, 20, 23, 3, 1, false, false),
            (2, 7, 11, 6, 5, 1, 0, true, true), (1, 5, 6, 9, 8, 5, 2, true, false), (4, 16, 32, 4, 4, 3, 1, true, true),
        ]
        for (i, c) in cases.enumerated() {
            let weight = randomTensor([c.cout, c.cin, c.k, c.k], seed: UInt64(400 + i), scale: 0.3)
            let bias = c.bias ? randomTensor([c.cout], seed: UInt64(500 + i)) : nil
            let conv = Conv2D(name: "c", weight: weight, bias: bias, padding: c.pad)
            conv.fusedReLU = c.relu
            conv.algorithm = .packed
            XCTAssertTrue(conv.usesPackedGemm(batch: c.n, height: c.h, width: c.w))
            let x = randomTensor([c.n, c.cin, c.h, c.w], seed: UInt64(600 + i))
            let expected = referenceConvolution(x, of: conv, relu: c.relu)
            assertClose(conv.forward(x, training: false), expected, tolerance: 1e-4, "case \(i) \(c)")
            assertClose(conv.forward(x, training: false), expected, tolerance: 1e-4, "case \(i) repeat")
        }
    }

    /// After an optimiser step (in-place update) and after replacing the weights, packed inference agrees
    /// with OpenBLAS im2col again: the cached packed weights are not stale.
    func testPackedWeightsFollowOptimizerStepsAndLoads() {
        var rng = SeededRandom(seed: 31)
        let conv = Conv2D(name: "c", inputChannels: 5, outputChannels: 7, rng: &rng)
        conv.bias!.value = randomTensor([7], seed: 32)
        assertCachedWeightsFollowUpdates(conv, input: randomTensor([1, 5, 6, 5], seed: 33), algorithm: .packed, seed: 34)
    }

    /// `auto` takes the packed kernel only for GEMMs under 128 columns that Winograd does not take; with packed
    /// Winograd GEMMs (this CPU) Winograd F(2x2) takes 3x3 layers from 64 output positions (8x8 at batch 1).
    func testAutoPicksPackedForFewPositions() {
        var rng = SeededRandom(seed: 41)
        let deep = Conv2D(name: "c", inputChannels: 32, outputChannels: 32, rng: &rng)
        XCTAssertTrue(deep.usesPackedGemm(batch: 1, height: 4, width: 4))
        XCTAssertTrue(deep.usesPackedGemm(batch: 2, height: 4, width: 4))
        XCTAssertNil(deep.winogradTile(batch: 1, height: 4, width: 4))
        XCTAssertNil(deep.winogradTile(batch: 2, height: 4, width: 4))
        XCTAssertEqual(deep.winogradTile(batch: 1, height: 8, width: 8), .f2x2)
        XCTAssertEqual(deep.winogradTile(batch: 4, height: 4, width: 4), .f2x2)
        XCTAssertNil(WinogradConvolution.choice(inputChannels: 32, outputChannels: 32, batch: 1, height: 8, width: 8, packed: false))
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 512, outputChannels: 512, batch: 1, height: 8, width: 8), .f2x2)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 512, outputChannels: 512, batch: 1, height: 16, width: 16), .f4x4)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 128, outputChannels: 256, batch: 1, height: 16, width: 16), .f4x4)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 64, outputChannels: 128, batch: 32, height: 32, width: 32), .f2x2)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 128, outputChannels: 128, batch: 32, height: 32, width: 32), .f2x2)
        // Narrow layers (16-32 input channels): F(4x4) from 256 positions; 64 channels keep F(2x2).
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 16, outputChannels: 16, batch: 1, height: 64, width: 64), .f4x4)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 32, outputChannels: 64, batch: 1, height: 16, width: 16), .f4x4)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 64, outputChannels: 64, batch: 1, height: 64, width: 64), .f2x2)
        XCTAssertEqual(WinogradConvolution.choice(inputChannels: 32, outputChannels: 32, batch: 1, height: 8, width: 8), .f2x2)
        XCTAssertEqual(
            WinogradConvolution.choice(inputChannels: 128, outputChannels: 256, batch: 1, height: 16, width: 16, packed: false), .f2x2)
        XCTAssertFalse(deep.usesPackedGemm(batch: 1, height: 16, width: 16))
        let first = Conv2D(name: "c", inputChannels: 3, outputChannels: 16, rng: &rng)
        XCTAssertFalse(first.usesPackedGemm(batch: 1, height: 64, width: 64))
        deep.algorithm = .im2col
        XCTAssertFalse(deep.usesPackedGemm(batch: 1, height: 4, width: 4))
        XCTAssertNil(deep.winogradTile(batch: 1, height: 8, width: 8))
    }
}
