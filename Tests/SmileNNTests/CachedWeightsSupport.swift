import XCTest
@testable import SmileNN

/// Checks that `conv`'s inference with `algorithm` agrees with im2col before and after an SGD step (in-place
/// update), after replacing the weights and after an Adam step: weights cached by that algorithm are not stale.
func assertCachedWeightsFollowUpdates(
    _ conv: Conv2D, input x: Tensor, algorithm: ConvolutionAlgorithm, tolerance: Float = 1e-4, seed: UInt64,
    file: StaticString = #filePath, line: UInt = #line
) {
    func both() -> (cached: Tensor, im2col: Tensor) {
        conv.algorithm = algorithm
        let a = conv.forward(x, training: false)
        conv.algorithm = .im2col
        let b = conv.forward(x, training: false)
        return (a, b)
    }
    let before = both()
    assertClose(before.cached, before.im2col, tolerance: tolerance, "\(algorithm) before any update", file: file, line: line)

    let out = conv.forward(x, training: true)
    _ = conv.backward(randomTensor(out.shape, seed: seed))
    SGD(learningRate: 0.5, momentum: 0.9).step(conv.parameters)
    let afterStep = both()
    assertClose(afterStep.cached, afterStep.im2col, tolerance: tolerance, "\(algorithm) after SGD step", file: file, line: line)
    let change = zip(afterStep.cached.data, before.cached.data).map { abs($0 - $1) }.max()!
    XCTAssertGreaterThan(change, 0.1, "the SGD step should change the output", file: file, line: line)

    conv.weight.value = randomTensor(conv.weight.value.shape, seed: seed + 1)
    let afterLoad = both()
    assertClose(afterLoad.cached, afterLoad.im2col, tolerance: tolerance, "\(algorithm) after replacing the weights", file: file, line: line)
    Adam(learningRate: 0.1).step(conv.parameters)
    let afterAdam = both()
    assertClose(afterAdam.cached, afterAdam.im2col, tolerance: tolerance, "\(algorithm) after an Adam step", file: file, line: line)
}

/// Checks that one `WinogradConvolution` engine (kept across updates, `packed` GEMMs or not) matches the naive
/// convolution of `conv`'s current parameters before and after an SGD step, a weight replacement, an Adam step
/// and a switch of GEMM mode: its cached transformed (and packed) weights are never stale.
func assertWinogradWeightsFollowUpdates(
    _ conv: Conv2D, input x: Tensor, tile: WinogradTile, packed: Bool, seed: UInt64,
    file: StaticString = #filePath, line: UInt = #line
) {
    let engine = WinogradConvolution(inputChannels: conv.inputChannels, outputChannels: conv.outputChannels, tile: tile)
    engine.weights.packed = packed
    let tolerance: Float = tile == .f2x2 ? 1e-4 : 2e-3
    func check(_ what: String) {
        var out = Tensor(shape: [0])
        engine.forward(x, weight: conv.weight, bias: conv.bias, fusedReLU: false, into: &out)
        let expected = referenceConvolution(x, weight: conv.weight.value, bias: conv.bias?.value, padding: 1)
        assertClose(out, expected, tolerance: tolerance, "\(tile) packed \(packed) \(what)", file: file, line: line)
    }
    check("before any update")
    let out = conv.forward(x, training: true)
    _ = conv.backward(randomTensor(out.shape, seed: seed))
    SGD(learningRate: 0.5, momentum: 0.9).step(conv.parameters)
    check("after SGD step")
    conv.weight.value = randomTensor(conv.weight.value.shape, seed: seed + 1)
    check("after replacing the weights")
    Adam(learningRate: 0.1).step(conv.parameters)
    check("after an Adam step")
    if PackedConvolutionWeights.isSupported {
        engine.weights.packed = !packed
        check("after switching GEMM mode")
        engine.weights.packed = packed
    }
}
