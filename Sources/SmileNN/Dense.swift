/// A fully connected layer `y = x W^T + b`.
///
/// Input `[N, inputs]`, output `[N, outputs]`; weight `[outputs, inputs]`, bias `[outputs]`.
/// Weights start Glorot-uniform (Keras's default), biases at zero.
public final class Dense: Layer {
    public let name: String
    public let inputs: Int
    public let outputs: Int
    /// `[outputs, inputs]`.
    public let weight: Parameter
    /// `[outputs]`.
    public let bias: Parameter
    /// Applies `max(0, ·)` after the bias (inference fusion; backward does not support it).
    public var fusedReLU = false
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var cachedInput: Tensor?

    public init(name: String, inputs: Int, outputs: Int, rng: inout SeededRandom) {
        precondition(inputs > 0 && outputs > 0)
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        let limit = (6 / Float(inputs + outputs)).squareRoot()
        weight = Parameter(name: name + ".weight", value: Tensor(shape: [outputs, inputs], uniformLimit: limit, rng: &rng))
        bias = Parameter(name: name + ".bias", value: Tensor(shape: [outputs]))
    }

    /// A dense layer with given weight `[outputs, inputs]` and bias `[outputs]`.
    public init(name: String, weight: Tensor, bias: Tensor) {
        precondition(weight.shape.count == 2 && bias.shape == [weight.shape[0]], "weight [out, in], bias [out]")
        self.name = name
        self.outputs = weight.shape[0]
        self.inputs = weight.shape[1]
        self.weight = Parameter(name: name + ".weight", value: weight)
        self.bias = Parameter(name: name + ".bias", value: bias)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func releaseCaches() { cachedInput = nil }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 2 && input.shape[1] == inputs, "\(name): expected [N, \(inputs)], got \(input.shape)")
        let n = input.shape[0]
        output.reuse(shape: [n, outputs])
        let relu = fusedReLU, outs = outputs, ins = inputs
        input.data.withUnsafeBufferPointer { x in
            weight.value.data.withUnsafeBufferPointer { w in
                bias.value.data.withUnsafeBufferPointer { b in
                    output.data.withUnsafeMutableBufferPointer { y in
                        gemm(
                            transposeA: false, transposeB: true, m: n, n: outs, k: ins,
                            a: x.baseAddress!, lda: ins, b: w.baseAddress!, ldb: ins, beta: 0, c: y.baseAddress!, ldc: outs)
                        for r in 0..<n {
                            for o in 0..<outs {
                                let v = y[r * outs + o] + b[o]
                                y[r * outs + o] = relu ? max(v, 0) : v
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
        let n = input.shape[0], outs = outputs, ins = inputs
        precondition(outputGradient.shape == [n, outs], "\(name): gradient shape \(outputGradient.shape) != \([n, outs])")
        inputGradient.reuse(shape: input.shape)
        input.data.withUnsafeBufferPointer { x in
            outputGradient.data.withUnsafeBufferPointer { g in
                weight.value.data.withUnsafeBufferPointer { w in
                    weight.gradient.data.withUnsafeMutableBufferPointer { dw in
                        gemm(
                            transposeA: true, transposeB: false, m: outs, n: ins, k: n,
                            a: g.baseAddress!, lda: outs, b: x.baseAddress!, ldb: ins, beta: 1, c: dw.baseAddress!, ldc: ins)
                    }
                    inputGradient.data.withUnsafeMutableBufferPointer { dx in
                        gemm(
                            transposeA: false, transposeB: false, m: n, n: ins, k: outs,
                            a: g.baseAddress!, lda: outs, b: w.baseAddress!, ldb: ins, beta: 0, c: dx.baseAddress!, ldc: ins)
                    }
                }
                bias.gradient.data.withUnsafeMutableBufferPointer { db in
                    for r in 0..<n { for o in 0..<outs { db[o] += g[r * outs + o] } }
                }
            }
        }
        return inputGradient
    }
}
