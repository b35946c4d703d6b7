/// Stochastic gradient descent with (optionally Nesterov) momentum, PyTorch formulation.
///
/// `g' = g + weightDecay * w`; `v = momentum * v + g'`; `w -= lr * v`
/// (Nesterov: `w -= lr * (g' + momentum * v)`). Weight decay here is coupled L2.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private let slots = OptimizerSlots()

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        let lr = learningRate, mu = momentum, wd = weightDecay, nest = nesterov
        for p in parameters where p.isTrainable {
            do { let state = slots.moments(p)
                state.first.withUnsafeMutableBufferPointer { v in
                    p.gradient.data.withUnsafeBufferPointer { g in
                        p.value.data.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                let gi = g[i] + wd * w[i]
                                let vi = mu * v[i] + gi
                                v[i] = vi
                                w[i] -= lr * (nest ? gi + mu * vi : vi)
                            }
                        }
                    }
                }
            }
        }
    }
}
