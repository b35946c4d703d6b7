/// 2x2 max-pooling with stride 2 (floor: an odd last row/column is dropped).
///
/// Input `[N, C, H, W]`, output `[N, C, H / 2, W / 2]`. Ties go to the first element in
/// row-major window order; backward routes each gradient to the recorded maximum.
public final class MaxPool2D: Layer {
    public let name: String
    private var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var argmax: [Int32] = []
    private var inputShape: [Int] = []

    public init(name: String) { self.name = name }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.count == 4, "\(name): expected [N, C, H, W], got \(input.shape)")
        let n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3]
        let oh = h / 2, ow = w / 2
        precondition(oh >= 1 && ow >= 1, "\(name): input \(h)x\(w) too small to pool")
        output.reuse(shape: [n, c, oh, ow])
        inputShape = input.shape
        let planes = n * c
        if training && argmax.count != planes * oh * ow { argmax = [Int32](repeating: 0, count: planes * oh * ow) }
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                argmax.withUnsafeMutableBufferPointer { ab in
                    let x = xb.baseAddress!, y = yb.baseAddress!
                    for p in 0..<planes {
                        let src = x + p * h * w, dst = y + p * oh * ow
                        if training {
                            let idx = ab.baseAddress! + p * oh * ow
                            for oy in 0..<oh {
                                let r0 = 2 * oy * w, r1 = r0 + w
                                for ox in 0..<ow {
                                    var best = r0 + 2 * ox
                                    var v = src[best]
                                    if src[r0 + 2 * ox + 1] > v { best = r0 + 2 * ox + 1; v = src[best] }
                                    if src[r1 + 2 * ox] > v { best = r1 + 2 * ox; v = src[best] }
                                    if src[r1 + 2 * ox + 1] > v { best = r1 + 2 * ox + 1; v = src[best] }
                                    dst[oy * ow + ox] = v
                                    idx[oy * ow + ox] = Int32(best)
                                }
                            }
                        } else {
                            for oy in 0..<oh {
                                let a = src + 2 * oy * w, b = a + w
                                let d = dst + oy * ow
                                for ox in 0..<ow {
                                    d[ox] = max(max(a[2 * ox], a[2 * ox + 1]), max(b[2 * ox], b[2 * ox + 1]))
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.shape == output.shape, "\(name): gradient shape \(outputGradient.shape) != \(output.shape)")
        let h = inputShape[2], w = inputShape[3], oh = output.shape[2], ow = output.shape[3]
        let planes = inputShape[0] * inputShape[1]
        precondition(argmax.count == planes * oh * ow, "\(name): backward without forward(training: true)")
        inputGradient.reuse(shape: inputShape)
        inputGradient.zero()
        outputGradient.data.withUnsafeBufferPointer { gb in
            argmax.withUnsafeBufferPointer { ab in
                inputGradient.data.withUnsafeMutableBufferPointer { db in
                    for p in 0..<planes {
                        let g = gb.baseAddress! + p * oh * ow, idx = ab.baseAddress! + p * oh * ow
                        let d = db.baseAddress! + p * h * w
                        for i in 0..<(oh * ow) { d[Int(idx[i])] += g[i] }
                    }
                }
            }
        }
        return inputGradient
    }
}
