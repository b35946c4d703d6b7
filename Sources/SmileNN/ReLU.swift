/// Elementwise rectifier `max(0, x)`; any shape.
public final class ReLU: Layer {
    public let name: String
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        output.reuse(shape: input.shape)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count { y[i] = max(x[i], 0) }
            }
        }
        return output
    }

    /// Passes the gradient where the last output was positive.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.shape == output.shape, "\(name): gradient shape \(outputGradient.shape) != \(output.shape)")
        inputGradient.reuse(shape: output.shape)
        output.data.withUnsafeBufferPointer { y in
            outputGradient.data.withUnsafeBufferPointer { g in
                inputGradient.data.withUnsafeMutableBufferPointer { d in
                    for i in 0..<y.count { d[i] = y[i] > 0 ? g[i] : 0 }
                }
            }
        }
        return inputGradient
    }
}
