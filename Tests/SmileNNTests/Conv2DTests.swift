import XCTest
@testable import SmileNN

/// Naive NCHW convolution, stride 1.
func referenceConvolution(_ x: Tensor, weight: Tensor, bias: Tensor?, padding p: Int) -> Tensor {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let o = weight.shape[0], k = weight.shape[2]
    let oh = h + 2 * p - k + 1, ow = w + 2 * p - k + 1
    var y = Tensor(shape: [n, o, oh, ow])
    for b in 0..<n { for oc in 0..<o { for oy in 0..<oh { for ox in 0..<ow {
        var s = Double(bias?.data[oc] ?? 0)
        for ic in 0..<c { for ky in 0..<k { for kx in 0..<k {
            let iy = oy + ky - p, ix = ox + kx - p
            if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
            s += Double(x.data[((b * c + ic) * h + iy) * w + ix]) * Double(weight.data[((oc * c + ic) * k + ky) * k + kx])
        }}}
        y.data[((b * o + oc) * oh + oy) * ow + ox] = Float(s)
    }}}}
    return y
}

/// `referenceConvolution` with `conv`'s own weights, bias and padding, followed by `max(0, ·)` when `relu`.
func referenceConvolution(_ x: Tensor, of conv: Conv2D, relu: Bool) -> Tensor {
    var y = referenceConvolution(x, weight: conv.weight.value, bias: conv.bias?.value, padding: conv.padding)
    if relu { y.data = y.data.map { max($0, 0) } }
    return y
}

/// A 3x3 convolution for the direct kernels' tests: random weights (seed `seed`), a random bias
/// (seed `seed + 100`) or none, ReLU fused when `relu`, the direct algorithm asked for.
func directTestConvolution(inputs: Int, outputs: Int, bias: Bool, relu: Bool, seed: UInt64) -> Conv2D {
    var rng = SeededRandom(seed: seed)
    let conv = Conv2D(name: "c", inputChannels: inputs, outputChannels: outputs, bias: bias, rng: &rng)
    if bias { conv.bias!.value = randomTensor([outputs], seed: seed + 100) }
    conv.fusedReLU = relu
    conv.algorithm = .direct
    return conv
}

final class Conv2DTests: XCTestCase {
    func testForwardMatchesReference() {
        for (i, (n, cin, cout, h, w, k, p)) in [(2, 3, 5, 7, 9, 3, 1), (3, 1, 4, 6, 5, 3, 0), (1, 2, 3, 5, 8, 1, 0), (4, 4, 2, 3, 4, 3, 2), (40, 2, 3, 4, 6, 3, 1)].enumerated() {
            var rng = SeededRandom(seed: UInt64(i))
            let conv = Conv2D(name: "c", inputChannels: cin, outputChannels: cout, kernelSize: k, padding: p, rng: &rng)
            conv.bias!.value = randomTensor([cout], seed: 5)
            let x = randomTensor([n, cin, h, w], seed: UInt64(10 + i))
            let expected = referenceConvolution(x, weight: conv.weight.value, bias: conv.bias!.value, padding: p)
            assertClose(conv.forward(x, training: false), expected, "case \(i)")
            // Second call with the same shape reuses buffers and still agrees.
            assertClose(conv.forward(x, training: true), expected, "case \(i) repeat")
        }
    }

    func testFusedReLU() {
        var rng = SeededRandom(seed: 1)
        let conv = Conv2D(name: "c", inputChannels: 2, outputChannels: 3, rng: &rng)
        let x = randomTensor([2, 2, 5, 4], seed: 2)
        var expected = conv.forward(x, training: false)
        expected.data = expected.data.map { max($0, 0) }
        conv.fusedReLU = true
        assertClose(conv.forward(x, training: false), expected)
    }

    func testBackwardMatchesFiniteDifferences() {
        var rng = SeededRandom(seed: 3)
        let conv = Conv2D(name: "c", inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, rng: &rng)
        conv.bias!.value = randomTensor([3], seed: 4)
        checkGradients(layer: conv, input: randomTensor([2, 2, 5, 4], seed: 5))
        // Grouped path (small maps, several images per GEMM) and no padding.
        let conv2 = Conv2D(name: "c2", inputChannels: 3, outputChannels: 2, kernelSize: 3, padding: 0, rng: &rng)
        checkGradients(layer: conv2, input: randomTensor([5, 3, 4, 5], seed: 6))
    }

    func testGradientsAccumulate() {
        var rng = SeededRandom(seed: 3)
        let conv = Conv2D(name: "c", inputChannels: 1, outputChannels: 2, rng: &rng)
        let x = randomTensor([1, 1, 4, 4], seed: 1)
        let g = randomTensor([1, 2, 4, 4], seed: 2)
        _ = conv.forward(x, training: true); _ = conv.backward(g)
        let once = conv.weight.gradient
        _ = conv.forward(x, training: true); _ = conv.backward(g)
        assertClose(conv.weight.gradient, Tensor(shape: once.shape, data: once.data.map { 2 * $0 }))
    }
}
