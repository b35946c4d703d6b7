/// RMSprop, Keras formulation: `s = rho * s + (1 - rho) * g²`; `w -= lr * g / (sqrt(s) + epsilon)`.
///
/// `weightDecay` adds coupled L2 (`g += weightDecay * w`) before the update.
public final class RMSprop: Optimizer {
    public var learningRate: Float
    public let rho: Float
    public let epsilon: Float
    public let weightDecay: Float
    private let slots = OptimizerSlots()

    public init(learningRate: Float = 1e-3, rho: Float = 0.9, epsilon: Float = 1e-7, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, rho = rho, eps = epsilon, wd = weightDecay
        for p in parameters where p.isTrainable {
            do { let state = slots.moments(p)
                state.first.withUnsafeMutableBufferPointer { s in
                    p.gradient.data.withUnsafeBufferPointer { g in
                        p.value.data.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                let gi = g[i] + wd * w[i]
                                let si = rho * s[i] + (1 - rho) * gi * gi
                                s[i] = si
                                w[i] -= lr * gi / (si.squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
