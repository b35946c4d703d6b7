import Foundation

/// Adam, Keras formulation, with decoupled weight decay (AdamW) when `weightDecay > 0`.
///
/// Step `t` (from 1): `w -= lr * weightDecay * w`; `m = b1 m + (1 - b1) g`; `v = b2 v + (1 - b2) g²`;
/// `w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)`.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    /// Number of completed steps.
    public private(set) var stepCount = 0
    private let slots = OptimizerSlots()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        stepCount += 1
        let t = Double(stepCount)
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, decay = learningRate * weightDecay
        let alpha = Float(Double(lr) * (1 - pow(Double(b2), t)).squareRoot() / (1 - pow(Double(b1), t)))
        for p in parameters where p.isTrainable {
            do { let state = slots.moments(p, second: true)
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { v in
                        p.gradient.data.withUnsafeBufferPointer { g in
                            p.value.data.withUnsafeMutableBufferPointer { w in
                                for i in 0..<w.count {
                                    let gi = g[i]
                                    let mi = b1 * m[i] + (1 - b1) * gi
                                    let vi = b2 * v[i] + (1 - b2) * gi * gi
                                    m[i] = mi
                                    v[i] = vi
                                    w[i] = w[i] - decay * w[i] - alpha * mi / (vi.squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
