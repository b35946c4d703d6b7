import SmileKernels

/// A 3x3 stride-1 pad-1 convolution computed directly (SmileKernels' `directConvolution3x3`), for
/// inference layers with few channels, where im2col's and Winograd's copies cost more than the
/// arithmetic they organise.
///
/// The packed weights are remade whenever the weight `Parameter`'s `version` differs from the one
/// they were packed from (optimiser steps and `Sequential.load` bump it), as for Winograd's.
final class DirectConvolution {
    let inputChannels: Int
    let outputChannels: Int
    private var packed: [Float] = []
    private var packedVersion: Int?
    private var scratch: [Float] = []

    init(inputChannels: Int, outputChannels: Int) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
    }

    /// Whether this kernel can compute a `[_, inputs, height, width]` to `outputs` convolution on this CPU.
    static func applies(outputs: Int, width: Int) -> Bool {
        PackedConvolutionWeights.isSupported && width % 8 == 0 && outputs % 4 == 0
    }

    /// Convolves `input` `[N, in, H, W]` into `output` `[N, out, H, W]` (reusing its storage when the shape repeats).
    func forward(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool, into output: inout Tensor) {
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let cin = inputChannels, cout = outputChannels
        precondition(Self.applies(outputs: cout, width: w), "direct convolution needs AVX2/FMA, W % 8 == 0, out % 4 == 0")
        prepare(weight)
        output.reuse(shape: [n, cout, h, w])
        ensureCapacity(&scratch, directConvolution3x3ScratchCount(channels: cin, height: h, width: w))
        let biasValues = bias?.value.data ?? []
        input.data.withUnsafeBufferPointer { x in
            packed.withUnsafeBufferPointer { p in
                biasValues.withUnsafeBufferPointer { b in
                    scratch.withUnsafeMutableBufferPointer { s in
                        output.data.withUnsafeMutableBufferPointer { y in
                            for image in 0..<n {
                                directConvolution3x3(
                                    x.baseAddress! + image * cin * h * w, inputs: cin, height: h, width: w,
                                    packedWeights: p.baseAddress!, outputs: cout, bias: b.isEmpty ? nil : b.baseAddress!,
                                    relu: fusedReLU, scratch: s.baseAddress!, output: y.baseAddress! + image * cout * h * w)
                            }
                        }
                    }
                }
            }
        }
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
