/// Per-channel batch normalisation of `[N, C, H, W]` feature maps (Keras conventions).
///
/// Training: normalises with the batch mean and biased batch variance over `N, H, W`, then
/// `y = gamma * x̂ + beta`, and updates `running = momentum * running + (1 - momentum) * batch`
/// with Keras's `momentum = 0.99` (PyTorch's 0.1 corresponds to 0.9 here) and biased variance.
/// Inference: `y = gamma * (x - running_mean) / sqrt(running_var + epsilon) + beta`.
/// Parameters `gamma`, `beta` `[C]`; buffers `running_mean`, `running_var` `[C]`; `epsilon = 1e-3`.
public final class BatchNorm2D: Layer {
    public let name: String
    public let channels: Int
    public let momentum: Float
    public let epsilon: Float
    /// Scale `[C]`, initially 1.
    public let gamma: Parameter
    /// Shift `[C]`, initially 0.
    public let beta: Parameter
    /// Running mean `[C]`, initially 0.
    public private(set) var runningMean: Tensor { didSet { stateVersion &+= 1 } }
    /// Running (biased) variance `[C]`, initially 1.
    public private(set) var runningVariance: Tensor { didSet { stateVersion &+= 1 } }
    /// Incremented whenever the running statistics change.
    public private(set) var stateVersion = 0

    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var normalized: [Float] = []
    private var inverseStd: [Float] = []
    private var hasCache = false

    public init(name: String, channels: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
        precondition(channels > 0 && momentum >= 0 && momentum <= 1 && epsilon > 0)
        self.name = name
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        gamma = Parameter(name: name + ".gamma", value: Tensor(shape: [channels], repeating: 1))
        beta = Parameter(name: name + ".beta", value: Tensor(shape: [channels]))
        runningMean = Tensor(shape: [channels])
        runningVariance = Tensor(shape: [channels], repeating: 1)
    }

    public var parameters: [Parameter] { [gamma, beta] }

    public var buffers: [String: Tensor] {
        get { ["running_mean": runningMean, "running_var": runningVariance] }
        set {
            if let m = newValue["running_mean"] {
                precondition(m.shape == [channels], "\(name).running_mean must be [\(channels)]")
                runningMean = m
            }
            if let v = newValue["running_var"] {
                precondition(v.shape == [channels], "\(name).running_var must be [\(channels)]")
                runningVariance = v
            }
        }
    }

    public func releaseCaches() { hasCache = false }

    /// Per-channel `(scale, shift)` such that inference output is `x * scale + shift`.
    public func inferenceAffine() -> (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            let s = gamma.value.data[c] / (runningVariance.data[c] + epsilon).squareRoot()
            scale[c] = s
            shift[c] = beta.value.data[c] - runningMean.data[c] * s
        }
        return (scale, shift)
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.shape.count == 4 && input.shape[1] == channels,
            "\(name): expected [N, \(channels), H, W], got \(input.shape)")
        let n = input.shape[0], size = input.shape[2] * input.shape[3], cs = channels
        output.reuse(shape: input.shape)
        if !training {
            let (scale, shift) = inferenceAffine()
            input.data.withUnsafeBufferPointer { x in
                output.data.withUnsafeMutableBufferPointer { y in
                    for i in 0..<n {
                        for c in 0..<cs {
                            let base = (i * cs + c) * size, s = scale[c], t = shift[c]
                            for j in 0..<size { y[base + j] = x[base + j] * s + t }
                        }
                    }
                }
            }
            hasCache = false
            return output
        }
        let m = Double(n * size)
        if normalized.count != input.count { normalized = [Float](repeating: 0, count: input.count) }
        if inverseStd.count != cs { inverseStd = [Float](repeating: 0, count: cs) }
        var newMean = runningMean.data, newVar = runningVariance.data
        input.data.withUnsafeBufferPointer { x in
            normalized.withUnsafeMutableBufferPointer { xh in
                output.data.withUnsafeMutableBufferPointer { y in
                    for c in 0..<cs {
                        var sum = 0.0
                        for i in 0..<n {
                            let base = (i * cs + c) * size
                            var s: Float = 0
                            for j in 0..<size { s += x[base + j] }
                            sum += Double(s)
                        }
                        let mean = Float(sum / m)
                        var sq = 0.0
                        for i in 0..<n {
                            let base = (i * cs + c) * size
                            var s: Float = 0
                            for j in 0..<size { let d = x[base + j] - mean; s += d * d }
                            sq += Double(s)
                        }
                        let variance = Float(sq / m)
                        let inv = 1 / (variance + epsilon).squareRoot()
                        inverseStd[c] = inv
                        let g = gamma.value.data[c], b = beta.value.data[c]
                        for i in 0..<n {
                            let base = (i * cs + c) * size
                            for j in 0..<size {
                                let v = (x[base + j] - mean) * inv
                                xh[base + j] = v
                                y[base + j] = g * v + b
                            }
                        }
                        newMean[c] = momentum * newMean[c] + (1 - momentum) * mean
                        newVar[c] = momentum * newVar[c] + (1 - momentum) * variance
                    }
                }
            }
        }
        runningMean = Tensor(shape: [cs], data: newMean)
        runningVariance = Tensor(shape: [cs], data: newVar)
        hasCache = true
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(hasCache, "\(name): backward without forward(training: true)")
        hasCache = false
        precondition(outputGradient.shape == output.shape, "\(name): gradient shape \(outputGradient.shape) != \(output.shape)")
        let n = output.shape[0], size = output.shape[2] * output.shape[3], cs = channels
        let m = Float(n * size)
        inputGradient.reuse(shape: output.shape)
        outputGradient.data.withUnsafeBufferPointer { g in
            normalized.withUnsafeBufferPointer { xh in
                inputGradient.data.withUnsafeMutableBufferPointer { dx in
                    gamma.gradient.data.withUnsafeMutableBufferPointer { dg in
                        beta.gradient.data.withUnsafeMutableBufferPointer { dbeta in
                            for c in 0..<cs {
                                var sumG = 0.0, sumGX = 0.0
                                for i in 0..<n {
                                    let base = (i * cs + c) * size
                                    var a: Float = 0, b: Float = 0
                                    for j in 0..<size { a += g[base + j]; b += g[base + j] * xh[base + j] }
                                    sumG += Double(a); sumGX += Double(b)
                                }
                                dg[c] += Float(sumGX)
                                dbeta[c] += Float(sumG)
                                let k = gamma.value.data[c] * inverseStd[c]
                                let meanG = Float(sumG) / m, meanGX = Float(sumGX) / m
                                for i in 0..<n {
                                    let base = (i * cs + c) * size
                                    for j in 0..<size { dx[base + j] = k * (g[base + j] - meanG - xh[base + j] * meanGX) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
