import Foundation

/// A learning rate as a function of the (0-based) epoch.
public enum LearningRateSchedule: Sendable, Equatable {
    /// Always the base rate.
    case constant
    /// `base * factor^(epoch / every)` (integer division).
    case step(every: Int, factor: Float)
    /// Cosine decay from `base` at epoch 0 to `minimum` at `totalEpochs` (held there afterwards).
    case cosine(totalEpochs: Int, minimum: Float)

    /// The rate for `epoch` given the base rate.
    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(every, factor):
            precondition(every > 0, "step schedule needs every > 0")
            return base * pow(factor, Float(max(epoch, 0) / every))
        case let .cosine(total, minimum):
            guard total > 0 else { return minimum }
            let progress = Double(min(max(epoch, 0), total)) / Double(total)
            return minimum + (base - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
