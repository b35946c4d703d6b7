/// Averages each channel over space: `[N, C, H, W]` -> `[N, C]`.
public final class GlobalAveragePool: Layer {
    public let name: String
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var inputShape: [Int] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 4, "\(name): expected [N, C, H, W], got \(input.shape)")
        inputShape = input.shape
        let planes = input.shape[0] * input.shape[1], size = input.shape[2] * input.shape[3]
        output.reuse(shape: [input.shape[0], input.shape[1]])
        let scale = 1 / Float(size)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for p in 0..<planes {
                    var sum: Float = 0
                    let base = p * size
                    for i in 0..<size { sum += x[base + i] }
                    y[p] = sum * scale
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.shape == output.shape, "\(name): gradient shape \(outputGradient.shape) != \(output.shape)")
        let planes = inputShape[0] * inputShape[1], size = inputShape[2] * inputShape[3]
        inputGradient.reuse(shape: inputShape)
        let scale = 1 / Float(size)
        outputGradient.data.withUnsafeBufferPointer { g in
            inputGradient.data.withUnsafeMutableBufferPointer { d in
                for p in 0..<planes {
                    let v = g[p] * scale
                    let base = p * size
                    for i in 0..<size { d[base + i] = v }
                }
            }
        }
        return inputGradient
    }
}
