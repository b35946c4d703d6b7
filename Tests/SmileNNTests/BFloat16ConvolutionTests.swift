import CBFloat16Kernels
import XCTest
@testable import SmileNN

/// `x` rounded to the nearer of its two bfloat16 neighbours (ties to the even one), found by comparing
/// distances in Double: an independent reference for the kernels' bit-trick rounding. Finite `x` only;
/// past the largest bfloat16 the upper neighbour is infinity, reached as if it were 2^128 (IEEE rounding).
func bfloat16Reference(_ x: Float) -> Float {
    let truncated = x.bitPattern & 0xFFFF_0000
    let down = Float(bitPattern: truncated), up = Float(bitPattern: truncated &+ 0x1_0000)
    let upValue = up.isInfinite ? (up < 0 ? -0x1p128 : 0x1p128) : Double(up)
    let toDown = abs(Double(x) - Double(down)), toUp = abs(upValue - Double(x))
    if toDown != toUp { return toDown < toUp ? down : up }
    return (truncated >> 16) & 1 == 0 ? down : up
}

/// The naive convolution of `conv` with its input and weights rounded to bfloat16 (sums in Double),
/// followed by `max(0, ·)` when `relu`: what the bfloat16 kernel computes, up to float summation order.
func referenceBFloat16Convolution(_ x: Tensor, of conv: Conv2D, relu: Bool) -> Tensor {
    var rounded = x
    rounded.data = x.data.map(bfloat16Reference)
    var weight = conv.weight.value
    weight.data = weight.data.map(bfloat16Reference)
    var y = referenceConvolution(rounded, weight: weight, bias: conv.bias?.value, padding: conv.padding)
    if relu { y.data = y.data.map { max($0, 0) } }
    return y
}

final class BFloat16ConvolutionTests: XCTestCase {
    /// Rounding to bfloat16: the C helper against the distance-based reference, on ties (both parities),
    /// values just either side of them, powers of two, negatives and random floats of every magnitude.
    func testRoundingMatchesNearestTiesToEven() {
        var values: [Float] = [0, -0, 1, -1, 0.5, 3.1415927, 65504, 1e-30, -2.5e20, .greatestFiniteMagnitude]
        for high in [UInt32(0x3F80), 0x3F81, 0xBF80, 0xBF81, 0x4049, 0x0080, 0x7F00] {
            for low in [UInt32(0x0000), 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF] {
                values.append(Float(bitPattern: high << 16 | low))
            }
        }
        var rng = SeededRandom(seed: 5)
        for _ in 0..<20_000 {
            let exponent = Float(Int(rng.uniform() * 60) - 30)
            values.append((rng.uniform() - 0.5) * Float(pow(2, Double(exponent))))
        }
        for v in values {
            let rounded = Float(bitPattern: UInt32(smile_bfloat16(v)) << 16)
            XCTAssertEqual(rounded.bitPattern, bfloat16Reference(v).bitPattern, "\(v) (0x\(String(v.bitPattern, radix: 16)))")
        }
        XCTAssertTrue(Float(bitPattern: UInt32(smile_bfloat16(.nan)) << 16).isNaN, "NaN stays NaN")
        XCTAssertEqual(Float(bitPattern: UInt32(smile_bfloat16(.infinity)) << 16), .infinity)
    }

    /// The bfloat16 direct convolutions against the naive convolution of bfloat16-rounded operands:
    /// odd and even input channels (the last pair half empty), one to four vectors wide and widths
    /// that end in a partial vector (20, 33, 178), odd heights (a last row alone), batch > 1, with and
    /// without bias and ReLU; then small planes (the GEMM kernel: 8x8, 4x4, 2x8, 1x16, 16x1; one to
    /// nine images, so one to four vectors of pixels a block and a remainder, and more images than
    /// one call takes). It must also differ from the float result by more than summation order can,
    /// or it would not be computing in bfloat16.
    func testBFloat16KernelsMatchRoundedReference() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "the bfloat16 kernel needs AVX-512 BF16")
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, bias: Bool, relu: Bool)] = [
            (1, 2, 4, 1, 16, true, false), (2, 3, 8, 5, 16, false, true), (1, 8, 8, 8, 64, true, true),
            (3, 17, 4, 7, 32, true, false), (1, 16, 12, 16, 48, false, false), (2, 32, 8, 3, 16, true, true),
            (1, 64, 8, 8, 8, true, true), (4, 5, 4, 8, 8, false, false), (6, 9, 8, 4, 4, true, false),
            (3, 2, 4, 2, 8, true, true), (5, 16, 4, 1, 16, false, true), (2, 4, 4, 16, 1, true, false),
            (9, 64, 4, 8, 8, true, true),  // more images than one call of the planes kernel takes (6 here)
            (2, 5, 8, 7, 20, true, true), (1, 16, 4, 3, 33, false, false), (1, 9, 8, 4, 178, true, false),  // partial last vectors
        ]
        for (i, c) in cases.enumerated() {
            let conv = directTestConvolution(inputs: c.cin, outputs: c.cout, bias: c.bias, relu: c.relu, seed: UInt64(1700 + i))
            conv.precision = .bfloat16
            XCTAssertTrue(conv.usesBFloat16(height: c.h, width: c.w), "case \(i)")
            let x = randomTensor([c.n, c.cin, c.h, c.w], seed: UInt64(1900 + i))
            let expected = referenceBFloat16Convolution(x, of: conv, relu: c.relu)
            let y = conv.forward(x, training: false)
            assertClose(y, expected, tolerance: 2e-5, "case \(i) \(c)")
            let fromFloat = zip(y.data, referenceConvolution(x, of: conv, relu: c.relu).data).map { abs($0 - $1) }.max()!
            XCTAssertGreaterThan(fromFloat, 1e-3, "case \(i): no larger than float rounding, so not bfloat16")
            assertClose(conv.forward(x, training: false), expected, tolerance: 2e-5, "case \(i) repeat (buffers reused)")
        }
    }

    /// Where no bfloat16 kernel applies (one input channel; planes under 16 wide that are not whole
    /// vectors: 5x8, 5x12), or precision is float32, the float paths run and match the float reference.
    func testShapesTheKernelsCannotComputeStayInFloat() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "the bfloat16 kernel needs AVX-512 BF16")
        var rng = SeededRandom(seed: 71)
        let cases: [(cin: Int, w: Int, precision: ConvolutionPrecision)] = [(1, 16, .bfloat16), (8, 8, .bfloat16), (8, 12, .bfloat16), (8, 16, .float32)]
        for (i, c) in cases.enumerated() {
            let conv = Conv2D(name: "c", inputChannels: c.cin, outputChannels: 8, rng: &rng)
            conv.bias!.value = randomTensor([8], seed: UInt64(72 + i))
            conv.precision = c.precision
            XCTAssertFalse(conv.usesBFloat16(height: 5, width: c.w), "case \(i)")
            let x = randomTensor([2, c.cin, 5, c.w], seed: UInt64(80 + i))
            assertClose(conv.forward(x, training: false), referenceConvolution(x, of: conv, relu: false), tolerance: 1e-5, "case \(i) \(c)")
        }
    }

    /// `auto` runs every layer of up to 128 input channels a bfloat16 kernel applies to directly (32
    /// input channels too, which go to Winograd in float), and 256 through float Winograd.
    func testAutoPicksTheBFloat16KernelWhereItApplies() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "the bfloat16 kernel needs AVX-512 BF16")
        var rng = SeededRandom(seed: 91)
        let conv = Conv2D(name: "c", inputChannels: 32, outputChannels: 32, rng: &rng)
        XCTAssertFalse(conv.usesDirect(batch: 4, height: 16, width: 16), "float32: Winograd")
        conv.precision = .bfloat16
        XCTAssertTrue(conv.usesDirect(batch: 4, height: 16, width: 16), "bfloat16: direct")
        XCTAssertTrue(conv.usesDirect(batch: 4, height: 8, width: 8), "8x8: the planes kernel")
        XCTAssertFalse(conv.usesDirect(batch: 4, height: 2, width: 2), "2x2: no bfloat16 kernel, Winograd")
        let wide = Conv2D(name: "w", inputChannels: 256, outputChannels: 256, rng: &rng)
        wide.precision = .bfloat16
        XCTAssertTrue(wide.usesBFloat16(height: 16, width: 16))
        XCTAssertFalse(wide.usesDirect(batch: 1, height: 16, width: 16), "256 input channels: float Winograd won")
    }

    /// The packed bfloat16 weights (shared by both kernels) follow optimiser steps and replaced weights (never stale).
    func testPackedPairsFollowWeightUpdates() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "the bfloat16 kernel needs AVX-512 BF16")
        var rng = SeededRandom(seed: 101)
        let conv = Conv2D(name: "c", inputChannels: 6, outputChannels: 8, rng: &rng)
        conv.bias!.value = randomTensor([8], seed: 102)
        conv.precision = .bfloat16
        let x = randomTensor([2, 6, 4, 16], seed: 103)
        let small = randomTensor([3, 6, 4, 4], seed: 106)
        assertClose(conv.forward(x, training: false), referenceBFloat16Convolution(x, of: conv, relu: false), tolerance: 2e-5, "before")
        let out = conv.forward(x, training: true)
        _ = conv.backward(randomTensor(out.shape, seed: 104))
        SGD(learningRate: 0.5).step(conv.parameters)
        assertClose(conv.forward(x, training: false), referenceBFloat16Convolution(x, of: conv, relu: false), tolerance: 2e-5, "after SGD")
        assertClose(conv.forward(small, training: false), referenceBFloat16Convolution(small, of: conv, relu: false), tolerance: 2e-5,
                    "small planes after SGD")
        conv.weight.value = randomTensor(conv.weight.value.shape, seed: 105)
        assertClose(conv.forward(x, training: false), referenceBFloat16Convolution(x, of: conv, relu: false), tolerance: 2e-5, "after load")
        assertClose(conv.forward(small, training: false), referenceBFloat16Convolution(small, of: conv, relu: false), tolerance: 2e-5,
                    "small planes after load")
    }

    /// `Sequential.setConvolutionPrecision` reaches the folded inference plan: a two-convolution
    /// network's bfloat16 prediction differs from its float one by bfloat16 rounding, not more, and
    /// switching back gives the float prediction exactly.
    func testSequentialPrecisionReachesTheInferencePlan() throws {
        try XCTSkipUnless(ConvolutionPrecision.bfloat16Supported, "the bfloat16 kernel needs AVX-512 BF16")
        var rng = SeededRandom(seed: 111)
        let net = Sequential([
            Conv2D(name: "a", inputChannels: 4, outputChannels: 8, rng: &rng), ReLU(name: "r"),
            Conv2D(name: "b", inputChannels: 8, outputChannels: 8, rng: &rng), GlobalAveragePool(name: "g"),
        ])
        let x = randomTensor([3, 4, 16, 16], seed: 112)
        let float = net.predictLogits(x)
        net.setConvolutionPrecision(.bfloat16)
        XCTAssertTrue(net.inferenceLayers.compactMap { $0 as? Conv2D }.allSatisfy { $0.precision == .bfloat16 })
        let bf16 = net.predictLogits(x)
        let difference = zip(bf16.data, float.data).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(difference, 0, "bfloat16 should round")
        XCTAssertLessThan(difference, 0.02, "more than bfloat16 rounding")
        net.setConvolutionPrecision(.float32)
        XCTAssertEqual(net.predictLogits(x).data, float.data)
    }
}
