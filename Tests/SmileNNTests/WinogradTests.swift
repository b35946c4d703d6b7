import XCTest
@testable import SmileNN

/// Whether `WinogradWeights` multiplies with OpenBLAS (false) or the packed kernel (true): both where the
/// CPU has AVX2 and FMA, else only OpenBLAS.
let winogradGemmModes: [Bool] = PackedConvolutionWeights.isSupported ? [false, true] : [false]

/// `engine` (with `packed` GEMMs or not) on `x` with `conv`'s parameters.
func winogradForward(_ conv: Conv2D, _ x: Tensor, tile: WinogradTile, packed: Bool, chunkTiles: Int = 256) -> Tensor {
    let engine = WinogradConvolution(inputChannels: conv.inputChannels, outputChannels: conv.outputChannels, tile: tile)
    engine.weights.packed = packed
    engine.chunkTiles = chunkTiles
    var out = Tensor(shape: [0])
    engine.forward(x, weight: conv.weight, bias: conv.bias, fusedReLU: conv.fusedReLU, into: &out)
    return out
}

final class WinogradTests: XCTestCase {
    /// Odd and even sizes, 1x1 / 2x2 / 4x4 inputs, several channel counts, batch > 1, with and without bias and ReLU;
    /// through `Conv2D` (packed GEMMs where the CPU allows) and through both GEMM modes directly. Channel counts
    /// not multiples of 6 or 16, more than 512 input channels (two depth blocks of the packed kernel) and more
    /// than 128 tiles per GEMM (several position chunks) exercise the packed kernel's edges.
    func testWinogradMatchesNaiveReference() {
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, bias: Bool, relu: Bool)] = [
            (1, 1, 1, 1, 1, true, false), (2, 3, 4, 1, 1, false, true), (1, 2, 3, 2, 2, true, true),
            (3, 5, 2, 2, 2, false, false), (1, 4, 4, 4, 4, true, false), (2, 16, 8, 4, 4, true, true),
            (1, 3, 5, 5, 7, true, false), (2, 6, 3, 7, 9, false, true), (1, 8, 16, 8, 6, true, true),
            (3, 20, 17, 9, 4, true, false), (2, 1, 7, 3, 11, false, false), (1, 32, 24, 12, 13, true, true),
            (2, 13, 37, 11, 9, true, true), (1, 515, 7, 3, 5, true, false), (1, 17, 29, 40, 33, false, true),
            (3, 23, 19, 8, 8, true, true),
        ]
        for (algorithm, tile, tolerance) in [(ConvolutionAlgorithm.winograd, WinogradTile.f2x2, Float(1e-5)), (.winograd4x4, .f4x4, 1e-4)] {
            for (i, c) in cases.enumerated() {
                var rng = SeededRandom(seed: UInt64(100 + i))
                let conv = Conv2D(name: "c", inputChannels: c.cin, outputChannels: c.cout, bias: c.bias, rng: &rng)
                if c.bias { conv.bias!.value = randomTensor([c.cout], seed: UInt64(200 + i)) }
                conv.fusedReLU = c.relu
                conv.algorithm = algorithm
                XCTAssertEqual(conv.winogradTile(batch: c.n, height: c.h, width: c.w), tile)
                let x = randomTensor([c.n, c.cin, c.h, c.w], seed: UInt64(300 + i))
                let expected = referenceConvolution(x, of: conv, relu: c.relu)
                assertClose(conv.forward(x, training: false), expected, tolerance: tolerance, "\(tile) case \(i) \(c)")
                // Again with the same shape (buffers and transformed weights reused).
                assertClose(conv.forward(x, training: false), expected, tolerance: tolerance, "\(tile) case \(i) repeat")
                for packed in winogradGemmModes {
                    let got = winogradForward(conv, x, tile: tile, packed: packed)
                    assertClose(got, expected, tolerance: tolerance, "\(tile) case \(i) packed \(packed)")
                }
            }
        }
    }

    /// Several chunks of tile rows, chunk boundaries inside an image and across images.
    func testChunkedTileRowsMatchReference() {
        var rng = SeededRandom(seed: 9)
        let conv = Conv2D(name: "c", inputChannels: 6, outputChannels: 5, rng: &rng)
        conv.bias!.value = randomTensor([5], seed: 10)
        conv.fusedReLU = true
        let x = randomTensor([3, 6, 9, 10], seed: 11)
        let expected = referenceConvolution(x, of: conv, relu: true)
        for tile in [WinogradTile.f2x2, .f4x4] {
            for chunkTiles in [1, 7, 10, 1000] {
                for packed in winogradGemmModes {
                    let out = winogradForward(conv, x, tile: tile, packed: packed, chunkTiles: chunkTiles)
                    assertClose(out, expected, tolerance: 1e-4, "\(tile) chunkTiles \(chunkTiles) packed \(packed)")
                }
            }
        }
    }

    /// Inference after an optimiser step (in-place weight update) and after replacing the weights agrees with
    /// im2col again: the cached transformed weights are not stale.
    func testCachedWeightsFollowOptimizerStepsAndLoads() {
        var rng = SeededRandom(seed: 21)
        let conv = Conv2D(name: "c", inputChannels: 4, outputChannels: 6, rng: &rng)
        conv.bias!.value = randomTensor([6], seed: 22)
        let x = randomTensor([2, 4, 6, 5], seed: 23)
        assertCachedWeightsFollowUpdates(conv, input: x, algorithm: .winograd, seed: 24)
        assertCachedWeightsFollowUpdates(conv, input: x, algorithm: .winograd4x4, seed: 26)
        // Conv2D's Winograd engines multiply with packed weights wherever the CPU allows.
        XCTAssertEqual(WinogradWeights(inputChannels: 4, outputChannels: 6, tile: .f2x2).packed, PackedConvolutionWeights.isSupported)
    }

    /// Both GEMM modes (plain `U` for OpenBLAS, packed `U` for the AVX2 kernel) recompute their cached weights
    /// after SGD and Adam steps and after the weights are replaced, and after switching modes.
    func testBothGemmModesFollowOptimizerSteps() {
        var rng = SeededRandom(seed: 51)
        let conv = Conv2D(name: "c", inputChannels: 7, outputChannels: 13, rng: &rng)
        conv.bias!.value = randomTensor([13], seed: 52)
        let x = randomTensor([2, 7, 9, 6], seed: 53)
        for tile in [WinogradTile.f2x2, .f4x4] {
            for packed in winogradGemmModes {
                assertWinogradWeightsFollowUpdates(conv, input: x, tile: tile, packed: packed, seed: 54)
            }
        }
    }

    /// A whole VGG-19 (quarter width, 64x64 and an odd 37x45 input, batch 1 and 2): Winograd, the packed-weight
    /// kernel and the direct convolution (where the CPU has AVX2 and FMA) and `auto` agree with im2col inference.
    func testVGG19WinogradMatchesIm2col() {
        for (h, w, channels) in [(64, 64, 1), (37, 45, 3)] {
            let config = VGG19Configuration(widthMultiplier: 0.25, inputHeight: max(h, 32), inputWidth: max(w, 32), inputChannels: channels)
            let net = VGG19.make(config, seed: 5)
            for batch in [1, 2] {
                let x = randomTensor([batch, channels, h, w], seed: 6)
                net.setConvolutionAlgorithm(.im2col)
                let expected = net.predictLogits(x)
                for algorithm in [ConvolutionAlgorithm.winograd, .winograd4x4, .packed, .direct, .auto] {
                    net.setConvolutionAlgorithm(algorithm)
                    let convs = net.inferenceLayers.compactMap { $0 as? Conv2D }
                    XCTAssertEqual(convs.count, 16)
                    XCTAssertTrue(convs.allSatisfy { $0.algorithm == algorithm })
                    let got = net.predictLogits(x)
                    let scale = expected.data.map { abs($0) }.max()!
                    let worst = zip(got.data, expected.data).map { abs($0 - $1) }.max()!
                    // F(2x2) and packed round like im2col; F(4x4) has ~1e-4 relative error per layer, 16 layers deep.
                    let tolerance: Float = algorithm == .winograd || algorithm == .packed || algorithm == .direct ? 1e-4 : 1e-3
                    XCTAssertLessThan(worst / scale, tolerance, "\(h)x\(w) batch \(batch) \(algorithm): max difference \(worst), scale \(scale)")
                }
            }
        }
    }
}
