/// Updates parameters from their accumulated gradients; parameters with `isTrainable == false` are skipped.
public protocol Optimizer: AnyObject {
    /// The step size used by the next `step`.
    var learningRate: Float { get set }
    /// Applies one update to every trainable parameter (gradients are not cleared).
    func step(_ parameters: [Parameter])
}

/// Zero-initialised moment buffers for one parameter.
final class Moments {
    var first: [Float]
    var second: [Float]
    init(count: Int, second needsSecond: Bool) {
        first = [Float](repeating: 0, count: count)
        second = needsSecond ? [Float](repeating: 0, count: count) : []
    }
}

/// Per-parameter optimiser state, keyed by parameter identity.
final class OptimizerSlots {
    private var slots: [ObjectIdentifier: (parameter: Parameter, moments: Moments)] = [:]

    /// The moments of `p` (the second only when `second`), created on first use.
    func moments(_ p: Parameter, second: Bool = false) -> Moments {
        let id = ObjectIdentifier(p)
        if let s = slots[id], s.parameter === p, s.moments.first.count == p.value.count { return s.moments }
        let m = Moments(count: p.value.count, second: second)
        slots[id] = (p, m)
        return m
    }
}
