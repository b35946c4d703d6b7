/// Inverted dropout: in training each element is zeroed with probability `rate` and the survivors
/// are scaled by `1 / (1 - rate)`; at inference it is the identity. Any shape.
///
/// Masks come from a `SeededRandom` seeded at construction, so a run is reproducible.
public final class Dropout: Layer {
    public let name: String
    public let rate: Float
    private var rng: SeededRandom
    private var mask: [Float] = []
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])

    public init(name: String, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.name = name
        self.rate = rate
        self.rng = SeededRandom(seed: seed)
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { mask = []; return input }
        let n = input.count
        if mask.count != n { mask = [Float](repeating: 0, count: n) }
        let keep = 1 - rate, scale = 1 / keep
        // 24-bit threshold compared against raw bits: one random draw per element.
        let threshold = UInt64(Double(keep) * 16_777_216)
        output.reuse(shape: input.shape)
        mask.withUnsafeMutableBufferPointer { m in
            input.data.withUnsafeBufferPointer { x in
                output.data.withUnsafeMutableBufferPointer { y in
                    for i in 0..<n {
                        let v: Float = (rng.next() >> 40) < threshold ? scale : 0
                        m[i] = v
                        y[i] = x[i] * v
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard !mask.isEmpty else { return outputGradient }
        precondition(outputGradient.count == mask.count, "\(name): gradient size mismatch")
        inputGradient.reuse(shape: outputGradient.shape)
        mask.withUnsafeBufferPointer { m in
            outputGradient.data.withUnsafeBufferPointer { g in
                inputGradient.data.withUnsafeMutableBufferPointer { d in
                    for i in 0..<m.count { d[i] = g[i] * m[i] }
                }
            }
        }
        return inputGradient
    }
}
