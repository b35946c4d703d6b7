import CInt8Kernels
import XCTest
@testable import SmileNN

/// The int8 convolution computed naively in Swift from the header's definition: input channel c
/// times `127 / maxima[c]` rounded (ties to even) to 0...127; weights times `maxima[c] / 127`, then
/// divided by their output channel's `maxabs / 127` and rounded to -127...127; exact integer sums,
/// then `sum * scale + bias` and ReLU.
func referenceInt8Convolution(_ x: Tensor, weight: Tensor, bias: Tensor?, inputMaxima: [Float], relu: Bool) -> Tensor {
    let n = x.shape[0], cin = x.shape[1], h = x.shape[2], w = x.shape[3], cout = weight.shape[0]
    let qx: [Int] = x.data.indices.map { i in
        let c = (i / (h * w)) % cin
        let v = x.data[i] * (inputMaxima[c] > 0 ? 127 / inputMaxima[c] : 0)
        guard v > 0 else { return 0 }
        return v >= 127 ? 127 : Int(v.rounded(.toNearestOrEven))
    }
    var folded = weight.data
    for i in folded.indices { folded[i] *= inputMaxima[(i / 9) % cin] / 127 }
    var qw = [Int](repeating: 0, count: weight.data.count), scales = [Float](repeating: 0, count: cout)
    for o in 0..<cout {
        let per = cin * 9
        let largest = folded[o * per..<(o + 1) * per].map(abs).max() ?? 0
        scales[o] = largest / 127
        for i in 0..<per where scales[o] != 0 {
            qw[o * per + i] = min(127, max(-127, Int((folded[o * per + i] / scales[o]).rounded(.toNearestOrEven))))
        }
    }
    var y = Tensor(shape: [n, cout, h, w])
    for image in 0..<n {
        for o in 0..<cout {
            for row in 0..<h {
                for col in 0..<w {
                    var sum = 0
                    for c in 0..<cin {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let iy = row + ky - 1, ix = col + kx - 1
                                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                sum += qx[((image * cin + c) * h + iy) * w + ix] * qw[((o * cin + c) * 3 + ky) * 3 + kx]
                            }
                        }
                    }
                    var v = Float(sum) * scales[o]
                    v += bias?.data[o] ?? 0
                    y.data[((image * cout + o) * h + row) * w + col] = relu && !(v > 0) ? 0 : v
                }
            }
        }
    }
    return y
}

final class Int8ConvolutionTests: XCTestCase {
    /// The engines this CPU runs: the plain C one always, then AVX2 and AVX-512 VNNI where present.
    private var engines: [Int32] {
        [Int32(SMILE_INT8_NONE.rawValue), Int32(SMILE_INT8_AVX2.rawValue), Int32(SMILE_INT8_AVX512_VNNI.rawValue)]
            .filter { $0 <= ConvolutionPrecision.int8FastestEngine }
    }

    private func randomTensor(_ shape: [Int], _ rng: inout SeededRandom, range: ClosedRange<Float>) -> Tensor {
        var t = Tensor(shape: shape)
        for i in t.data.indices { t.data[i] = range.lowerBound + rng.uniform() * (range.upperBound - range.lowerBound) }
        return t
    }

    /// Every engine against the naive reference, equal to the last bit: input channels that fill no
    /// quad or a partial last one (1, 3, 5, 13), output channels in no whole block of eight (3, 12),
    /// planes from 1x1 to wider than two vectors with partial last vectors (4x4, 8x8, 7x5, 13x21,
    /// 3x40), batches of one to three, channels of different maxima (one of them 0: a dead
    /// channel), inputs past their channel's maximum (clipped to 127) and negative ones (0), with
    /// and without bias and ReLU.
    func testEveryEngineMatchesTheReferenceExactly() {
        var rng = SeededRandom(seed: 11)
        let shapes: [(n: Int, cin: Int, cout: Int, h: Int, w: Int)] = [
            (1, 1, 8, 4, 4), (2, 3, 3, 8, 8), (1, 5, 12, 7, 5), (3, 13, 16, 13, 21), (1, 8, 8, 3, 40), (1, 16, 24, 1, 1),
        ]
        for (index, s) in shapes.enumerated() {
            let x = randomTensor([s.n, s.cin, s.h, s.w], &rng, range: -0.3...2.4)
            let weight = randomTensor([s.cout, s.cin, 3, 3], &rng, range: -0.8...0.8)
            let bias = index % 2 == 0 ? randomTensor([s.cout], &rng, range: -0.5...0.5) : nil
            let relu = index % 3 != 1
            let maxima = (0..<s.cin).map { c in c == 2 ? 0 : 0.5 + Float(c % 5) * 0.6 }
            let expected = referenceInt8Convolution(x, weight: weight, bias: bias, inputMaxima: maxima, relu: relu)
            for engine in engines {
                let direct = DirectConvolution(inputChannels: s.cin, outputChannels: s.cout)
                var output = Tensor(shape: [0])
                direct.forwardInt8(x, weight: Parameter(name: "w", value: weight), bias: bias.map { Parameter(name: "b", value: $0) },
                                   fusedReLU: relu, inputMaxima: maxima, engine: engine, into: &output)
                XCTAssertEqual(output.shape, expected.shape)
                let worst = zip(output.data, expected.data).map { abs($0 - $1) }.max() ?? 0
                XCTAssertEqual(worst, 0, "engine \(engine), shape \(s): largest difference \(worst)")
            }
        }
    }

    /// The quantisation is what makes it int8: results differ from float by more than rounding order
    /// yet stay close (within a few per cent of the output range for these sizes).
    func testInt8IsCloseToButNotFloat() {
        var rng = SeededRandom(seed: 3)
        let x = randomTensor([1, 16, 8, 8], &rng, range: 0...1)
        let weight = randomTensor([16, 16, 3, 3], &rng, range: -0.5...0.5)
        let float = referenceConvolution(x, weight: weight, bias: nil, padding: 1)
        let direct = DirectConvolution(inputChannels: 16, outputChannels: 16)
        var output = Tensor(shape: [0])
        direct.forwardInt8(x, weight: Parameter(name: "w", value: weight), bias: nil, fusedReLU: false,
                           inputMaxima: Array(repeating: 1, count: 16), into: &output)
        let differences = zip(output.data, float.data).map { abs($0 - $1) }
        let range = (float.data.max() ?? 0) - (float.data.min() ?? 0)
        XCTAssertGreaterThan(differences.max() ?? 0, 1e-4, "quantised, not float")
        XCTAssertLessThan(differences.max() ?? 0, 0.03 * range)
    }

    /// A layer runs in int8 only when asked, calibrated and on a CPU with the kernels; the network's
    /// int8 probabilities follow the float ones.
    func testNetworkUsesInt8OnlyWhenCalibrated() throws {
        try XCTSkipUnless(ConvolutionPrecision.int8Supported, "the int8 kernels need AVX2")
        var rng = SeededRandom(seed: 8)
        let conv = Conv2D(name: "c", inputChannels: 8, outputChannels: 8, rng: &rng)
        conv.precision = .int8
        XCTAssertFalse(conv.usesInt8(height: 8, width: 8), "not calibrated")
        conv.int8InputMaxima = Array(repeating: 1, count: 7)
        XCTAssertFalse(conv.usesInt8(height: 8, width: 8), "one maximum per input channel")
        conv.int8InputMaxima = Array(repeating: 1, count: 8)
        XCTAssertTrue(conv.usesInt8(height: 8, width: 8))
        conv.precision = .float32
        XCTAssertFalse(conv.usesInt8(height: 8, width: 8), "not asked")

        let x = randomTensor([2, 8, 8, 8], &rng, range: 0...1)
        conv.precision = .int8
        let y = conv.forward(x, training: false)
        let expected = referenceInt8Convolution(x, weight: conv.weight.value, bias: conv.bias?.value,
                                                inputMaxima: Array(repeating: 1, count: 8), relu: false)
        XCTAssertEqual(y.data, expected.data)
    }
}
