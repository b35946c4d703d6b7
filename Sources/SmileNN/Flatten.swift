/// Reshapes `[N, C, H, W]` (or any `[N, ...]`) to `[N, C * H * W]` without copying.
public final class Flatten: Layer {
    public let name: String
    private var inputShape: [Int] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count >= 2, "\(name): expected [N, ...], got \(input.shape)")
        inputShape = input.shape
        return input.reshaped([input.shape[0], input.count / max(input.shape[0], 1)])
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.count == inputShape.reduce(1, *), "\(name): gradient size mismatch")
        return outputGradient.reshaped(inputShape)
    }
}
