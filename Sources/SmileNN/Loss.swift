import Foundation

/// Softmax cross-entropy of logits `[N, K]` against integer labels, averaged over weighted samples.
///
/// With class weights `w`, `loss = Σ_i w[y_i] * -log p_i[y_i] / Σ_i w[y_i]` and the gradient with respect
/// to the logits is `w[y_i] * (p_i - onehot(y_i)) / Σ_i w[y_i]` (shape `[N, K]`). Without weights all are 1.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], classWeights: [Float]? = nil) -> (loss: Float, gradient: Tensor) {
    precondition(logits.shape.count == 2, "logits must be [N, K], got \(logits.shape)")
    let n = logits.shape[0], k = logits.shape[1]
    precondition(labels.count == n, "\(labels.count) labels for \(n) rows")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < k }, "labels must be in 0..<\(k)")
    if let w = classWeights { precondition(w.count == k, "\(w.count) class weights for \(k) classes") }
    var gradient = Tensor(shape: [0])
    softmax(logits, into: &gradient)
    var total = 0.0, weightSum = 0.0
    for i in 0..<n {
        let w = Double(classWeights?[labels[i]] ?? 1)
        total -= w * log(max(Double(gradient.data[i * k + labels[i]]), 1e-30))
        weightSum += w
    }
    let scale = weightSum > 0 ? 1 / weightSum : 0
    gradient.data.withUnsafeMutableBufferPointer { g in
        for i in 0..<n {
            let f = Float(Double(classWeights?[labels[i]] ?? 1) * scale)
            g[i * k + labels[i]] -= 1
            for j in 0..<k { g[i * k + j] *= f }
        }
    }
    return (Float(total * scale), gradient)
}
