/// A stride-1 2-D convolution computed as im2col + OpenBLAS GEMM.
///
/// Input `[N, inputChannels, H, W]`, output `[N, outputChannels, H + 2p - k + 1, W + 2p - k + 1]`.
/// Weights `[outputChannels, inputChannels, k, k]` (used as an `[out, in*k*k]` matrix), bias `[outputChannels]`.
/// Small feature maps are unfolded several images at a time so each GEMM has enough columns.
/// At inference an optional ReLU is fused into the bias pass (`fusedReLU`), and 3x3 pad-1 convolutions
/// run directly (`DirectConvolution`, few input channels) or as Winograd F(2x2, 3x3) or F(4x4, 3x3)
/// (`WinogradConvolution`) when `algorithm` allows and it pays off; with few output positions the im2col
/// GEMM runs on weights packed once (`PackedConvolutionWeights`) instead of OpenBLAS.
public final class Conv2D: Layer {
    public let name: String
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let padding: Int
    /// `[out, in, k, k]`.
    public let weight: Parameter
    /// `[out]`, or nil for a bias-free convolution.
    public let bias: Parameter?
    /// Applies `max(0, ·)` after the bias (for folded inference stacks; backward does not support it).
    public var fusedReLU = false
    /// How inference forward passes are computed; training always uses im2col.
    public var algorithm: ConvolutionAlgorithm = .auto
    /// In what precision inference forward passes multiply (see `ConvolutionPrecision`); training always in float.
    public var precision: ConvolutionPrecision = .float32
    /// The calibrated largest input of each input channel (after clipping rare outliers), which
    /// sets the int8 path's input scales; nil: no calibration, the layer never runs in int8.
    public var int8InputMaxima: [Float]?
    /// When false, `backward` only accumulates parameter gradients and returns an unspecified tensor.
    var needsInputGradient = true

    /// Target number of GEMM columns per im2col chunk (images are grouped until reached).
    static let targetColumns = 256

    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var col: [Float] = []
    private var colGradient: [Float] = []
    private var scratch: [Float] = []
    private var cachedInput: Tensor?
    private lazy var winograd2 = WinogradConvolution(inputChannels: inputChannels, outputChannels: outputChannels, tile: .f2x2)
    private lazy var winograd4 = WinogradConvolution(inputChannels: inputChannels, outputChannels: outputChannels, tile: .f4x4)
    private lazy var packedWeights = PackedConvolutionWeights()
    private lazy var direct = DirectConvolution(inputChannels: inputChannels, outputChannels: outputChannels)

    /// A convolution with He-normal weights (std `sqrt(2 / (in * k * k))`) and zero bias.
    public init(
        name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int = 3, padding: Int = 1,
        bias: Bool = true, rng: inout SeededRandom
    ) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && padding >= 0)
        let fanIn = inputChannels * kernelSize * kernelSize
        let w = Tensor(
            shape: [outputChannels, inputChannels, kernelSize, kernelSize],
            normalStd: (2 / Float(fanIn)).squareRoot(), rng: &rng)
        self.name = name
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.padding = padding
        self.weight = Parameter(name: name + ".weight", value: w)
        self.bias = bias ? Parameter(name: name + ".bias", value: Tensor(shape: [outputChannels])) : nil
    }

    /// A convolution with given weights `[out, in, k, k]` (square kernel) and optional bias `[out]`.
    public init(name: String, weight: Tensor, bias: Tensor?, padding: Int) {
        precondition(weight.shape.count == 4 && weight.shape[2] == weight.shape[3], "weight must be [out, in, k, k]")
        if let b = bias { precondition(b.shape == [weight.shape[0]], "bias must be [\(weight.shape[0])]") }
        self.name = name
        self.outputChannels = weight.shape[0]
        self.inputChannels = weight.shape[1]
        self.kernelSize = weight.shape[2]
        self.padding = padding
        self.weight = Parameter(name: name + ".weight", value: weight)
        self.bias = bias.map { Parameter(name: name + ".bias", value: $0) }
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func releaseCaches() { cachedInput = nil }

    /// Output spatial size for an input of `height x width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (height + 2 * padding - kernelSize + 1, width + 2 * padding - kernelSize + 1)
    }

    /// Whether an inference forward pass on `[batch, inputChannels, height, width]` runs the direct convolution.
    public func usesDirect(batch: Int, height: Int, width: Int) -> Bool {
        let bfloat16 = usesBFloat16(height: height, width: width)
        guard kernelSize == 3 && padding == 1 && (bfloat16 || DirectConvolution.applies(outputs: outputChannels, width: width)) else {
            return false
        }
        switch algorithm {
        case .direct: return true
        case .auto:
            return bfloat16 ? Conv2D.prefersBFloat16Direct(inputChannels: inputChannels)
                            : Conv2D.prefersDirect(inputChannels: inputChannels, outputChannels: outputChannels)
        case .im2col, .packed, .winograd, .winograd4x4: return false
        }
    }

    /// Whether a layer the bfloat16 direct kernels can compute beats float Winograd with them.
    ///
    /// Measured with `smile-bench nn --per-layer --precision float32,bfloat16`, one core (AMD EPYC with
    /// AVX-512 BF16): the kernels reach 190-230 GFLOP/s, and won every layer of the shipped model (8 to
    /// 64 input channels, batch 1 and 4; the whole network 0.26 against 0.49 ms a face) and of the
    /// full-width VGG-19 up to 128 input channels (batch 1 and 32: block1_conv2 45 against 69 ms at
    /// batch 32, block2_conv2 44 against 55); from 256 input channels float F(4x4) Winograd won
    /// (block3_conv2 at batch 32, 43 against 34 ms; batch 1, 1.4 against 1.1).
    static func prefersBFloat16Direct(inputChannels: Int) -> Bool {
        inputChannels <= 128
    }

    /// Whether an inference forward pass on a `height x width` input that runs the direct convolution
    /// multiplies in bfloat16 (`precision` asks for it, and a bfloat16 kernel applies on this CPU).
    public func usesBFloat16(height: Int, width: Int) -> Bool {
        precision == .bfloat16 && kernelSize == 3 && padding == 1
            && DirectConvolution.appliesBFloat16(inputs: inputChannels, outputs: outputChannels, height: height, width: width)
    }

    /// Whether an inference forward pass on a `height x width` input multiplies in int8 (`precision`
    /// asks for it, the layer is calibrated, and this CPU runs the int8 kernels).
    public func usesInt8(height: Int, width: Int) -> Bool {
        precision == .int8 && kernelSize == 3 && padding == 1
            && int8InputMaxima.map { $0.count == inputChannels && $0.allSatisfy { $0 >= 0 && $0.isFinite } } == true
            && ConvolutionPrecision.int8Supported
    }

    /// Whether the direct convolution beats im2col and Winograd for a layer with these channels.
    ///
    /// Measured with `smile-bench nn --model models/smile-default.safetensors --conv auto,direct --per-layer`
    /// (one core, EPYC, AVX2; the width-0.125 model at batch 1): direct 0.019 / 0.104 / 0.052 / 0.091 /
    /// 0.045 ms for block1_conv1 (1 -> 8 channels, 64x64), block1_conv2, block2_conv1 (8 -> 16, 32x32),
    /// block2_conv2 and block3_conv1 (16 -> 32, 16x16), against 0.048 / 0.238 / 0.095 / 0.121 / 0.054 ms
    /// with im2col and F(4x4) before; with 32 or 64 input channels F(4x4) or F(2x2) won (0.074-0.078 ms
    /// against 0.095-0.109). Full width block1_conv1 (3 -> 64, 64x64): 0.21-0.31 against 0.40-0.54 ms.
    static func prefersDirect(inputChannels: Int, outputChannels: Int) -> Bool {
        inputChannels <= 16
    }

    /// The Winograd variant an inference forward pass on `[batch, inputChannels, height, width]` runs, or nil for im2col.
    public func winogradTile(batch: Int, height: Int, width: Int) -> WinogradTile? {
        guard kernelSize == 3 && padding == 1 else { return nil }
        switch algorithm {
        case .im2col, .packed: return nil
        case .direct:
            return WinogradConvolution.choice(
                inputChannels: inputChannels, outputChannels: outputChannels, batch: batch, height: height, width: width)
        case .winograd: return .f2x2
        case .winograd4x4: return .f4x4
        case .auto:
            return WinogradConvolution.choice(
                inputChannels: inputChannels, outputChannels: outputChannels, batch: batch, height: height, width: width)
        }
    }

    /// Whether an inference forward pass on `[batch, inputChannels, height, width]` that does not run Winograd
    /// multiplies with the packed-weight kernel instead of OpenBLAS.
    public func usesPackedGemm(batch: Int, height: Int, width: Int) -> Bool {
        guard PackedConvolutionWeights.isSupported else { return false }
        switch algorithm {
        case .packed: return true
        case .im2col, .winograd, .winograd4x4: return false
        case .auto, .direct:
            let (oh, ow) = outputSize(height: height, width: width)
            let columns = groupSize(plane: oh * ow, batch: batch) * oh * ow
            return Conv2D.prefersPackedGemm(columns: columns)
        }
    }

    /// Whether the packed-weight kernel beats OpenBLAS for an im2col GEMM with `columns` columns (per chunk).
    ///
    /// Measured with `smile-bench nn --per-layer --clock cpu`, one core (EPYC, AVX2): below 128 columns
    /// (where `auto` does not pick Winograd) packed won every layer tried: width 1 batch 1, block 4 (64
    /// columns, 512 channels) 4.1-4.3 ms against 5.2-6.3 ms, block 5 (16 columns) 1.3-1.5 ms against
    /// 2.1-2.5 ms; width 0.25, block 4 0.36 against 0.55 ms, block 5 0.12 against 0.25 ms, batch 4 block 5
    /// (64 columns) 0.44 against 0.67 ms. With thousands of columns and few weights OpenBLAS's packing is
    /// cheap and it won (width 1 block1_conv1, 3 -> 64 channels at 64x64: 0.48 against 2.05 ms).
    static func prefersPackedGemm(columns: Int) -> Bool {
        columns < 128
    }

    private func groupSize(plane: Int, batch: Int) -> Int {
        min(batch, max(1, Conv2D.targetColumns / plane))
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.shape.count == 4 && input.shape[1] == inputChannels,
            "\(name): expected [N, \(inputChannels), H, W], got \(input.shape)")
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let (oh, ow) = outputSize(height: h, width: w)
        precondition(oh > 0 && ow > 0, "\(name): input \(h)x\(w) too small")
        if !training && usesInt8(height: h, width: w), let maxima = int8InputMaxima {
            direct.forwardInt8(input, weight: weight, bias: bias, fusedReLU: fusedReLU, inputMaxima: maxima, into: &output)
            cachedInput = nil
            return output
        }
        if !training && usesDirect(batch: n, height: h, width: w) {
            direct.forward(input, weight: weight, bias: bias, fusedReLU: fusedReLU, precision: precision, into: &output)
            cachedInput = nil
            return output
        }
        if !training, let tile = winogradTile(batch: n, height: h, width: w) {
            (tile == .f2x2 ? winograd2 : winograd4).forward(input, weight: weight, bias: bias, fusedReLU: fusedReLU, into: &output)
            cachedInput = nil
            return output
        }
        let cin = inputChannels, cout = outputChannels, k = kernelSize, pad = padding
        let plane = oh * ow, kk = cin * k * k
        let g = groupSize(plane: plane, batch: n)
        output.reuse(shape: [n, cout, oh, ow])
        ensureCapacity(&col, kk * g * plane)
        if g > 1 { ensureCapacity(&scratch, cout * g * plane) }
        let relu = fusedReLU, hasBias = bias != nil
        let usePacked = !training && usesPackedGemm(batch: n, height: h, width: w)
        let biasValues = bias?.value.data ?? [Float](repeating: 0, count: cout)
        input.data.withUnsafeBufferPointer { xb in
            weight.value.data.withUnsafeBufferPointer { wb in
                biasValues.withUnsafeBufferPointer { bb in
                    output.data.withUnsafeMutableBufferPointer { yb in
                        col.withUnsafeMutableBufferPointer { cb in
                            scratch.withUnsafeMutableBufferPointer { sb in
                                let x = xb.baseAddress!, wp = wb.baseAddress!, bp = bb.baseAddress!
                                let y = yb.baseAddress!, colp = cb.baseAddress!
                                let packed = usePacked ? packedWeights : nil
                                var start = 0
                                while start < n {
                                    let gi = min(g, n - start)
                                    let columns = gi * plane
                                    im2col(
                                        x + start * cin * h * w, channels: cin, height: h, width: w,
                                        kernel: k, padding: pad, images: gi, into: colp)
                                    if gi == 1, let packed {
                                        packed.multiply(
                                            weight: weight, b: colp, n: columns, ldb: columns, bias: hasBias ? bp : nil,
                                            relu: relu, c: y + start * cout * plane, ldc: columns)
                                        start += 1
                                        continue
                                    }
                                    if gi == 1 {
                                        // Bias first, then GEMM with beta = 1: saves OpenBLAS's separate beta pass.
                                        let dst = y + start * cout * plane
                                        for o in 0..<cout { (dst + o * plane).update(repeating: bp[o], count: plane) }
                                        gemm(
                                            transposeA: false, transposeB: false, m: cout, n: columns, k: kk,
                                            a: wp, lda: kk, b: colp, ldb: columns, beta: 1, c: dst, ldc: columns)
                                        if relu {
                                            for i in 0..<(cout * plane) { dst[i] = max(dst[i], 0) }
                                        }
                                        start += 1
                                        continue
                                    }
                                    let dst = sb.baseAddress!
                                    if let packed {
                                        packed.multiply(
                                            weight: weight, b: colp, n: columns, ldb: columns, bias: nil, relu: false,
                                            c: dst, ldc: columns)
                                    } else {
                                        gemm(
                                            transposeA: false, transposeB: false, m: cout, n: columns, k: kk,
                                            a: wp, lda: kk, b: colp, ldb: columns, beta: 0, c: dst, ldc: columns)
                                    }
                                    for image in 0..<gi {
                                        for o in 0..<cout {
                                            let s = dst + o * columns + image * plane
                                            let d = y + ((start + image) * cout + o) * plane
                                            let b = bp[o]
                                            if relu {
                                                for i in 0..<plane { d[i] = max(s[i] + b, 0) }
                                            } else {
                                                for i in 0..<plane { d[i] = s[i] + b }
                                            }
                                        }
                                    }
                                    start += gi
                                }
                            }
                        }
                    }
                }
            }
        }
        cachedInput = training ? input : nil
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = cachedInput else { preconditionFailure("\(name): backward without forward(training: true)") }
        cachedInput = nil
        precondition(!fusedReLU, "\(name): backward through a fused ReLU is not supported")
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let (oh, ow) = outputSize(height: h, width: w)
        precondition(
            outputGradient.shape == [n, outputChannels, oh, ow],
            "\(name): gradient shape \(outputGradient.shape) != output shape \([n, outputChannels, oh, ow])")
        let cin = inputChannels, cout = outputChannels, k = kernelSize, pad = padding
        let plane = oh * ow, kk = cin * k * k
        let g = groupSize(plane: plane, batch: n)
        let wantInput = needsInputGradient
        inputGradient.reuse(shape: input.shape)
        if wantInput { inputGradient.zero() }
        ensureCapacity(&col, kk * g * plane)
        if wantInput { ensureCapacity(&colGradient, kk * g * plane) }
        if g > 1 { ensureCapacity(&scratch, cout * g * plane) }
        var biasGradient = [Float](repeating: 0, count: cout)
        input.data.withUnsafeBufferPointer { xb in
            outputGradient.data.withUnsafeBufferPointer { gb in
                weight.value.data.withUnsafeBufferPointer { wb in
                    weight.gradient.data.withUnsafeMutableBufferPointer { dwb in
                        inputGradient.data.withUnsafeMutableBufferPointer { dxb in
                            col.withUnsafeMutableBufferPointer { cb in
                                colGradient.withUnsafeMutableBufferPointer { dcb in
                                    scratch.withUnsafeMutableBufferPointer { sb in
                                        biasGradient.withUnsafeMutableBufferPointer { dbb in
                                            let x = xb.baseAddress!, dy = gb.baseAddress!, wp = wb.baseAddress!
                                            let dw = dwb.baseAddress!, colp = cb.baseAddress!, db = dbb.baseAddress!
                                            var start = 0
                                            while start < n {
                                                let gi = min(g, n - start)
                                                let columns = gi * plane
                                                im2col(
                                                    x + start * cin * h * w, channels: cin, height: h, width: w,
                                                    kernel: k, padding: pad, images: gi, into: colp)
                                                let dyg: UnsafePointer<Float>
                                                if gi == 1 {
                                                    dyg = dy + start * cout * plane
                                                } else {
                                                    let s = sb.baseAddress!
                                                    for image in 0..<gi {
                                                        for o in 0..<cout {
                                                            (s + o * columns + image * plane).update(
                                                                from: dy + ((start + image) * cout + o) * plane, count: plane)
                                                        }
                                                    }
                                                    dyg = UnsafePointer(s)
                                                }
                                                for o in 0..<cout {
                                                    var sum: Float = 0
                                                    let r = dyg + o * columns
                                                    for i in 0..<columns { sum += r[i] }
                                                    db[o] += sum
                                                }
                                                gemm(
                                                    transposeA: false, transposeB: true, m: cout, n: kk, k: columns,
                                                    a: dyg, lda: columns, b: colp, ldb: columns, beta: 1, c: dw, ldc: kk)
                                                if wantInput {
                                                    let dcol = dcb.baseAddress!
                                                    gemm(
                                                        transposeA: true, transposeB: false, m: kk, n: columns, k: cout,
                                                        a: wp, lda: kk, b: dyg, ldb: columns, beta: 0, c: dcol, ldc: columns)
                                                    col2im(
                                                        dcol, channels: cin, height: h, width: w, kernel: k, padding: pad,
                                                        images: gi, into: dxb.baseAddress! + start * cin * h * w)
                                                }
                                                start += gi
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias {
            bias.gradient.data.withUnsafeMutableBufferPointer { p in
                for o in 0..<cout { p[o] += biasGradient[o] }
            }
        }
        return inputGradient
    }
}
