import CBFloat16Kernels
import CInt8Kernels
import SmileKernels

/// A 3x3 stride-1 pad-1 convolution computed directly (SmileKernels' `directConvolution3x3`), for
/// inference layers with few channels, where im2col's and Winograd's copies cost more than the
/// arithmetic they organise; in bfloat16 (`CBFloat16Kernels`) when asked and the CPU has AVX-512 BF16.
///
/// The packed weights are remade whenever the weight `Parameter`'s `version` differs from the one
/// they were packed from (optimiser steps and `Sequential.load` bump it), as for Winograd's.
final class DirectConvolution {
    let inputChannels: Int
    let outputChannels: Int
    private var packed: [Float] = []
    private var packedVersion: Int?
    private var scratch: [Float] = []
    /// The bfloat16 kernel's packed weights (`CBFloat16Kernels`), the version they were packed from, and its scratch.
    private var packedPairs: [UInt32] = []
    private var packedPairsVersion: Int?
    private var pairScratch: [UInt32] = []
    /// The int8 kernel's packed weights (input scales folded in), their per-output scales, what they
    /// were packed from, the input multipliers, and its scratch.
    private var packedQuads: [UInt32] = []
    private var outputScales: [Float] = []
    private var packedQuadsSource: (version: Int, maxima: [Float])?
    private var inputMultipliers: [Float] = []
    private var quadScratch: [UInt32] = []

    init(inputChannels: Int, outputChannels: Int) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
    }

    /// Whether this kernel can compute a `[_, inputs, height, width]` to `outputs` convolution on this CPU.
    static func applies(outputs: Int, width: Int) -> Bool {
        PackedConvolutionWeights.isSupported && width % 8 == 0 && outputs % 4 == 0
    }

    /// Whether a bfloat16 kernel can compute a `[_, inputs, height, width]` to `outputs` convolution on this CPU:
    /// `smile_bf16_conv3x3` (16 or more pixels wide), else `smile_bf16_conv3x3_planes` (small planes: 8x8, 4x4).
    static func appliesBFloat16(inputs: Int, outputs: Int, height: Int, width: Int) -> Bool {
        ConvolutionPrecision.bfloat16Supported && (appliesWideBFloat16(inputs: inputs, outputs: outputs, width: width)
            || smile_bf16_conv3x3_planes_applies(Int32(inputs), Int32(outputs), Int32(height), Int32(width)) != 0)
    }

    /// Scratch words one call of the small-plane kernel may use, which sets how many images it takes:
    /// 128 Ki words (512 KiB), half of a 1 MB L2 cache a core (AMD EPYC).
    static let planesColumnBudget = 128 * 1024

    /// Whether `smile_bf16_conv3x3` computes this shape (it beat the planes kernel at 16x16: 0.085
    /// against 0.104 ms an image for 64 -> 64 channels).
    private static func appliesWideBFloat16(inputs: Int, outputs: Int, width: Int) -> Bool {
        smile_bf16_conv3x3_applies(Int32(inputs), Int32(outputs), Int32(width)) != 0
    }

    /// Convolves `input` `[N, in, H, W]` into `output` `[N, out, H, W]` (reusing its storage when the
    /// shape repeats), with bfloat16 products when `precision` says so and the kernel applies.
    func forward(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool,
                 precision: ConvolutionPrecision = .float32, into output: inout Tensor) {
        let h = input.shape[2], w = input.shape[3]
        let cin = inputChannels, cout = outputChannels
        if precision == .bfloat16 && Self.appliesBFloat16(inputs: cin, outputs: cout, height: h, width: w) {
            forwardBFloat16(input, weight: weight, bias: bias, fusedReLU: fusedReLU, into: &output)
            return
        }
        precondition(Self.applies(outputs: cout, width: w), "direct convolution needs AVX2/FMA, W % 8 == 0, out % 4 == 0")
        prepare(weight)
        ensureCapacity(&scratch, directConvolution3x3ScratchCount(channels: cin, height: h, width: w))
        packed.withUnsafeBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                withPointers(input, bias: bias, into: &output) { x, b, y in
                    for image in 0..<input.shape[0] {
                        directConvolution3x3(x + image * cin * h * w, inputs: cin, height: h, width: w, packedWeights: p.baseAddress!,
                                             outputs: cout, bias: b, relu: fusedReLU, scratch: s.baseAddress!,
                                             output: y + image * cout * h * w)
                    }
                }
            }
        }
    }

    /// `forward` with a bfloat16 kernel (one must apply): image by image 16 or more pixels wide,
    /// else (small planes) a few images at a time, each few as one GEMM.
    private func forwardBFloat16(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool,
                                 into output: inout Tensor) {
        let n = Int32(input.shape[0]), h = Int32(input.shape[2]), w = Int32(input.shape[3])
        let cin = Int32(inputChannels), cout = Int32(outputChannels), relu: Int32 = fusedReLU ? 1 : 0
        let wide = Self.appliesWideBFloat16(inputs: inputChannels, outputs: outputChannels, width: input.shape[3])
        // Small planes go through the GEMM kernel a few images at a time, so that their unfolded
        // columns stay in the core's cache (all 32 images of a batch at once took 217 ms against 32
        // for float Winograd on 512 channels at 8x8; its columns alone were 19 MB).
        let chunk = wide ? 1 : max(1, Self.planesColumnBudget / Int(smile_bf16_conv3x3_planes_scratch_count(1, cin, h, w)))
        preparePairs(weight)
        ensureCapacity(&pairScratch, wide ? smile_bf16_conv3x3_scratch_count(cin, h, w)
                                          : smile_bf16_conv3x3_planes_scratch_count(Int32(min(chunk, Int(n))), cin, h, w))
        packedPairs.withUnsafeBufferPointer { p in
            pairScratch.withUnsafeMutableBufferPointer { s in
                withPointers(input, bias: bias, into: &output) { x, b, y in
                    guard wide else {
                        for start in stride(from: 0, to: Int(n), by: chunk) {
                            smile_bf16_conv3x3_planes(x + start * Int(cin * h * w), Int32(min(chunk, Int(n) - start)), cin, h, w,
                                                      p.baseAddress!, cout, b, relu, s.baseAddress!, y + start * Int(cout * h * w))
                        }
                        return
                    }
                    for image in 0..<Int(n) {
                        smile_bf16_conv3x3(x + image * Int(cin * h * w), cin, h, w, p.baseAddress!, cout, b, relu, s.baseAddress!,
                                           y + image * Int(cout * h * w))
                    }
                }
            }
        }
    }

    /// `forward` with the int8 kernel (`CInt8Kernels`) on this CPU's engine, image by image, input
    /// channel c quantised to 0...127 over `0...inputMaxima[c]` (0: the channel is taken as 0).
    func forwardInt8(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool, inputMaxima: [Float],
                     engine: Int32 = ConvolutionPrecision.int8Engine, into output: inout Tensor) {
        let h = Int32(input.shape[2]), w = Int32(input.shape[3])
        let cin = Int32(inputChannels), cout = Int32(outputChannels)
        prepareQuads(weight, inputMaxima: inputMaxima)
        ensureCapacity(&quadScratch, smile_int8_conv3x3_scratch_count(cin, cout, h, w))
        packedQuads.withUnsafeBufferPointer { p in
            quadScratch.withUnsafeMutableBufferPointer { s in
                outputScales.withUnsafeBufferPointer { scales in
                    inputMultipliers.withUnsafeBufferPointer { m in
                        withPointers(input, bias: bias, into: &output) { x, b, y in
                            for image in 0..<input.shape[0] {
                                smile_int8_conv3x3(engine, x + image * Int(cin * h * w), cin, h, w, m.baseAddress!, p.baseAddress!,
                                                   cout, scales.baseAddress!, b, fusedReLU ? 1 : 0, s.baseAddress!,
                                                   y + image * Int(cout * h * w))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The input scales `maxima / 127` folded into the weights (an input channel quantised by
    /// `127 / max` is multiplied by weights grown by `max / 127`), then packed, if the weights or the
    /// maxima changed since they were last packed.
    private func prepareQuads(_ weight: Parameter, inputMaxima maxima: [Float]) {
        if let source = packedQuadsSource, source.version == weight.version, source.maxima == maxima { return }
        precondition(weight.value.shape == [outputChannels, inputChannels, 3, 3], "direct convolution needs [out, in, 3, 3] weights")
        precondition(maxima.count == inputChannels, "one int8 input maximum per input channel")
        var folded = weight.value.data
        for o in 0..<outputChannels {
            for c in 0..<inputChannels {
                let scale = maxima[c] / 127
                for k in 0..<9 { folded[(o * inputChannels + c) * 9 + k] *= scale }
            }
        }
        inputMultipliers = maxima.map { $0 > 0 ? 127 / $0 : 0 }
        packedQuads = [UInt32](repeating: 0, count: smile_int8_conv3x3_packed_count(Int32(outputChannels), Int32(inputChannels)))
        outputScales = [Float](repeating: 0, count: outputChannels)
        folded.withUnsafeBufferPointer { w in
            packedQuads.withUnsafeMutableBufferPointer { p in
                outputScales.withUnsafeMutableBufferPointer { scales in
                    smile_int8_conv3x3_pack(w.baseAddress!, Int32(outputChannels), Int32(inputChannels), p.baseAddress!, scales.baseAddress!)
                }
            }
        }
        packedQuadsSource = (weight.version, maxima)
    }

    /// Shapes `output` as `[N, out, H, W]` for `input` `[N, in, H, W]` and calls `body` with the
    /// input's, the bias's (nil without one) and the output's storage.
    private func withPointers(
        _ input: Tensor, bias: Parameter?, into output: inout Tensor,
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>?, UnsafeMutablePointer<Float>) -> Void
    ) {
        output.reuse(shape: [input.shape[0], outputChannels, input.shape[2], input.shape[3]])
        let biasValues = bias?.value.data ?? []
        input.data.withUnsafeBufferPointer { x in
            biasValues.withUnsafeBufferPointer { b in
                output.data.withUnsafeMutableBufferPointer { y in
                    body(x.baseAddress!, b.isEmpty ? nil : b.baseAddress!, y.baseAddress!)
                }
            }
        }
    }

    /// Repacks `weight` for the bfloat16 kernel if it changed since it was last packed.
    private func preparePairs(_ weight: Parameter) {
        if packedPairsVersion == weight.version && !packedPairs.isEmpty { return }
        precondition(weight.value.shape == [outputChannels, inputChannels, 3, 3], "direct convolution needs [out, in, 3, 3] weights")
        let count = smile_bf16_conv3x3_packed_count(Int32(outputChannels), Int32(inputChannels))
        if packedPairs.count != count { packedPairs = [UInt32](repeating: 0, count: count) }
        weight.value.data.withUnsafeBufferPointer { w in
            packedPairs.withUnsafeMutableBufferPointer { p in
                smile_bf16_conv3x3_pack(w.baseAddress!, Int32(outputChannels), Int32(inputChannels), p.baseAddress!)
            }
        }
        packedPairsVersion = weight.version
    }

    /// Repacks `weight` (`[out, in, 3, 3]`) if it changed since it was last packed.
    private func prepare(_ weight: Parameter) {
        if packedVersion == weight.version && !packed.isEmpty { return }
        precondition(weight.value.shape == [outputChannels, inputChannels, 3, 3], "direct convolution needs [out, in, 3, 3] weights")
        let count = directConvolution3x3PackedCount(outputs: outputChannels, inputs: inputChannels)
        if packed.count != count { packed = [Float](repeating: 0, count: count) }
        weight.value.data.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { p in
                directConvolution3x3PackWeights(w.baseAddress!, outputs: outputChannels, inputs: inputChannels, into: p.baseAddress!)
            }
        }
        packedVersion = weight.version
    }
}
