/// An error from `Sequential.load`, naming the offending tensor.
public enum ModelLoadError: Error, CustomStringConvertible, Equatable {
    /// A tensor the model needs is absent.
    case missingTensor(name: String)
    /// A tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .missingTensor(name): return "missing tensor \(name)"
        case let .shapeMismatch(name, expected, found): return "tensor \(name): expected shape \(expected), found \(found)"
        }
    }
}

/// A feed-forward stack of layers with training, saving/loading and a fused inference path.
public final class Sequential {
    /// The layers, input first.
    public var layers: [Layer]

    private var inferencePlan: [Layer] = []
    private var inferenceFingerprint: [Int] = []
    private var probabilities = Tensor(shape: [0])

    public init(_ layers: [Layer]) { self.layers = layers }

    /// All parameters (trainable and frozen), in layer order.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }

    /// Runs every layer; `training` enables dropout and batch statistics and caches for `backward`.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        for layer in layers { h = layer.forward(h, training: training) }
        return h
    }

    /// Backpropagates `g` (gradient of the loss w.r.t. the last output) through every layer,
    /// accumulating parameter gradients; returns the gradient w.r.t. the input.
    public func backward(_ g: Tensor) -> Tensor {
        var d = g
        for layer in layers.reversed() { d = layer.backward(d) }
        return d
    }

    /// Like `backward` but stops at the lowest layer with a trainable parameter and skips that layer's
    /// input gradient: the cheap choice for training (frozen blocks cost nothing).
    public func accumulateGradients(_ g: Tensor) {
        guard let lowest = layers.firstIndex(where: { $0.parameters.contains { $0.isTrainable } }) else {
            layers.forEach { $0.releaseCaches() }
            return
        }
        var d = g
        for i in stride(from: layers.count - 1, through: lowest, by: -1) {
            if i == lowest, let conv = layers[i] as? Conv2D {
                conv.needsInputGradient = false
                _ = conv.backward(d)
                conv.needsInputGradient = true
            } else {
                d = layers[i].backward(d)
            }
        }
        for i in 0..<lowest { layers[i].releaseCaches() }
    }

    /// Sets every parameter gradient to zero.
    public func zeroGradients() {
        for p in parameters { p.gradient.zero() }
    }

    /// All tensors to save: parameters (`"block1_conv1.weight"`, `"block1_conv1.bias"`, `"block1_bn1.gamma"`,
    /// `"block1_bn1.beta"`, `"fc1.weight"`, ...) and buffers (`"block1_bn1.running_mean"`, `"...running_var"`), in layer order.
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        var result: [(name: String, tensor: Tensor)] = []
        for layer in layers {
            for p in layer.parameters { result.append((p.name, p.value)) }
            for (key, t) in layer.buffers.sorted(by: { $0.key < $1.key }) { result.append((layer.name + "." + key, t)) }
        }
        return result
    }

    /// Replaces every parameter and buffer with the tensor of the same name. Extra tensors are ignored.
    /// Throws (changing nothing) on the first missing tensor or shape mismatch.
    public func load(_ tensors: [String: Tensor]) throws {
        for (name, current) in namedTensors() {
            guard let t = tensors[name] else { throw ModelLoadError.missingTensor(name: name) }
            guard t.shape == current.shape else {
                throw ModelLoadError.shapeMismatch(name: name, expected: current.shape, found: t.shape)
            }
        }
        for layer in layers {
            for p in layer.parameters { p.value = tensors[p.name]! }
            var newBuffers: [String: Tensor] = [:]
            for key in layer.buffers.keys { newBuffers[key] = tensors[layer.name + "." + key]! }
            if !newBuffers.isEmpty { layer.buffers = newBuffers }
        }
        invalidateInference()
    }

    /// Softmax probabilities `[N, classes]` for a batch `[N, C, H, W]`, via the inference plan:
    /// batch-norm folded into the preceding convolution, bias + ReLU fused, dropout removed. The plan is
    /// rebuilt automatically when any parameter or running statistic has changed; its buffers are reused
    /// across calls (no allocation when the batch size repeats). The returned tensor's storage is reused
    /// by the next call.
    public func predictProbabilities(_ batch: Tensor) -> Tensor {
        if inferencePlan.isEmpty || fingerprint() != inferenceFingerprint { prepareForInference() }
        var h = batch
        for layer in inferencePlan { h = layer.forward(h, training: false) }
        softmax(h, into: &probabilities)
        return probabilities
    }

    /// Logits of the inference plan (like `predictProbabilities` without the softmax).
    public func predictLogits(_ batch: Tensor) -> Tensor {
        if inferencePlan.isEmpty || fingerprint() != inferenceFingerprint { prepareForInference() }
        var h = batch
        for layer in inferencePlan { h = layer.forward(h, training: false) }
        return h
    }

    /// The layers of the inference plan (built or rebuilt first if needed), for per-layer timing.
    public var inferenceLayers: [Layer] {
        if inferencePlan.isEmpty || fingerprint() != inferenceFingerprint { prepareForInference() }
        return inferencePlan
    }

    /// Sets `algorithm` on every convolution; the inference plan is rebuilt on next use.
    public func setConvolutionAlgorithm(_ algorithm: ConvolutionAlgorithm) {
        for case let conv as Conv2D in layers { conv.algorithm = algorithm }
        invalidateInference()
    }

    /// Sets `precision` on every convolution; the inference plan is rebuilt on next use.
    public func setConvolutionPrecision(_ precision: ConvolutionPrecision) {
        for case let conv as Conv2D in layers { conv.precision = precision }
        invalidateInference()
    }

    /// Sets each convolution's calibrated int8 input maxima (one per input channel) by layer name (absent: none).
    public func setInt8InputMaxima(_ maxima: [String: [Float]]) {
        for case let conv as Conv2D in layers { conv.int8InputMaxima = maxima[conv.name] }
        invalidateInference()
    }

    /// Runs the inference plan on `batch` in float32 and hands `body` each convolution's name and
    /// input, in order (for calibrating the int8 path).
    public func forEachConvolutionInput(_ batch: Tensor, _ body: (String, Tensor) -> Void) {
        let plan = inferenceLayers
        let saved = plan.map { ($0 as? Conv2D)?.precision }
        for case let conv as Conv2D in plan { conv.precision = .float32 }
        defer { for (layer, precision) in zip(plan, saved) { if let conv = layer as? Conv2D, let precision { conv.precision = precision } } }
        var h = batch
        for layer in plan {
            if let conv = layer as? Conv2D { body(conv.name, h) }
            h = layer.forward(h, training: false)
        }
    }

    /// Drops the cached inference plan; the next prediction rebuilds it.
    public func invalidateInference() {
        inferencePlan = []
        inferenceFingerprint = []
    }

    /// Builds the fused inference plan from the current weights (done automatically when needed).
    public func prepareForInference() {
        var plan: [Layer] = []
        var i = 0
        func nextIsReLU(_ j: Int) -> Bool { j < layers.count && layers[j] is ReLU }
        while i < layers.count {
            let layer = layers[i]
            if let conv = layer as? Conv2D {
                var w = conv.weight.value
                var b = conv.bias?.value ?? Tensor(shape: [conv.outputChannels])
                var j = i + 1
                if j < layers.count, let bn = layers[j] as? BatchNorm2D, bn.channels == conv.outputChannels {
                    let (scale, shift) = bn.inferenceAffine()
                    let per = conv.inputChannels * conv.kernelSize * conv.kernelSize
                    for o in 0..<conv.outputChannels {
                        for q in 0..<per { w.data[o * per + q] *= scale[o] }
                        b.data[o] = b.data[o] * scale[o] + shift[o]
                    }
                    j += 1
                }
                let fused = Conv2D(name: conv.name, weight: w, bias: b, padding: conv.padding)
                fused.algorithm = conv.algorithm
                fused.precision = conv.precision
                fused.int8InputMaxima = conv.int8InputMaxima
                if nextIsReLU(j) { fused.fusedReLU = true; j += 1 }
                plan.append(fused)
                i = j
            } else if let dense = layer as? Dense {
                let fused = Dense(name: dense.name, weight: dense.weight.value, bias: dense.bias.value)
                var j = i + 1
                if nextIsReLU(j) { fused.fusedReLU = true; j += 1 }
                plan.append(fused)
                i = j
            } else {
                switch layer {
                case is Dropout: break
                case let l as MaxPool2D: plan.append(MaxPool2D(name: l.name))
                case let l as ReLU: plan.append(ReLU(name: l.name))
                case let l as GlobalAveragePool: plan.append(GlobalAveragePool(name: l.name))
                case let l as Flatten: plan.append(Flatten(name: l.name))
                default: plan.append(layer)
                }
                i += 1
            }
        }
        inferencePlan = plan
        inferenceFingerprint = fingerprint()
    }

    /// Versions of every parameter and running statistic, to detect weight changes.
    private func fingerprint() -> [Int] {
        var f: [Int] = [layers.count]
        for layer in layers {
            f.append(ObjectIdentifier(layer).hashValue)
            for p in layer.parameters { f.append(p.version) }
            if let bn = layer as? BatchNorm2D { f.append(bn.stateVersion) }
        }
        return f
    }
}
