import Foundation

/// Row-wise softmax of logits `[N, K]` -> probabilities `[N, K]` (max-subtracted for stability).
public func softmax(_ logits: Tensor) -> Tensor {
    var out = Tensor(shape: [0])
    softmax(logits, into: &out)
    return out
}

/// Row-wise softmax of `[N, K]` written into `out` (its storage is reused when the size matches).
func softmax(_ logits: Tensor, into out: inout Tensor) {
    precondition(logits.shape.count == 2, "softmax expects [N, K], got \(logits.shape)")
    let n = logits.shape[0], k = logits.shape[1]
    out.reuse(shape: logits.shape)
    logits.data.withUnsafeBufferPointer { x in
        out.data.withUnsafeMutableBufferPointer { y in
            for r in 0..<n {
                var m = -Float.infinity
                for j in 0..<k { m = max(m, x[r * k + j]) }
                var sum: Float = 0
                for j in 0..<k { let e = expf(x[r * k + j] - m); y[r * k + j] = e; sum += e }
                let inv = 1 / sum
                for j in 0..<k { y[r * k + j] *= inv }
            }
        }
    }
}

/// A softmax layer over the last axis of `[N, K]` (for models that output probabilities).
public final class Softmax: Layer {
    public let name: String
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        softmax(input, into: &output)
        return output
    }

    /// `dx = y * (dy - sum(dy * y))` row-wise.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.shape == output.shape, "\(name): gradient shape mismatch")
        let n = output.shape[0], k = output.shape[1]
        inputGradient.reuse(shape: output.shape)
        output.data.withUnsafeBufferPointer { y in
            outputGradient.data.withUnsafeBufferPointer { g in
                inputGradient.data.withUnsafeMutableBufferPointer { d in
                    for r in 0..<n {
                        var dot: Float = 0
                        for j in 0..<k { dot += g[r * k + j] * y[r * k + j] }
                        for j in 0..<k { d[r * k + j] = y[r * k + j] * (g[r * k + j] - dot) }
                    }
                }
            }
        }
        return inputGradient
    }
}
