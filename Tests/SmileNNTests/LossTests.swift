import XCTest
@testable import SmileNN

final class LossTests: XCTestCase {
    func testSoftmax() {
        let logits = Tensor(shape: [2, 3], data: [1, 2, 3, 1000, 1000, 1000])
        let p = softmax(logits)
        let e = [exp(1.0), exp(2.0), exp(3.0)]
        let s = e.reduce(0, +)
        for j in 0..<3 { XCTAssertEqual(Double(p.data[j]), e[j] / s, accuracy: 1e-6) }
        for j in 3..<6 { XCTAssertEqual(p.data[j], 1 / 3, accuracy: 1e-6) }
    }

    func testCrossEntropyValueAndGradient() {
        let logits = randomTensor([4, 3], seed: 1)
        let labels = [0, 2, 1, 2]
        let weights: [Float] = [1, 2.5, 0.5]
        let (loss, gradient) = softmaxCrossEntropy(logits: logits, labels: labels, classWeights: weights)
        // Reference value.
        var total = 0.0, wsum = 0.0
        for i in 0..<4 {
            let row = (0..<3).map { Double(logits.data[i * 3 + $0]) }
            let lse = log(row.map { exp($0) }.reduce(0, +))
            total += Double(weights[labels[i]]) * (lse - row[labels[i]])
            wsum += Double(weights[labels[i]])
        }
        XCTAssertEqual(Double(loss), total / wsum, accuracy: 1e-5)
        // Finite differences.
        for i in 0..<logits.count {
            var p = logits, m = logits
            p.data[i] += 1e-2
            m.data[i] -= 1e-2
            let lp = softmaxCrossEntropy(logits: p, labels: labels, classWeights: weights).loss
            let lm = softmaxCrossEntropy(logits: m, labels: labels, classWeights: weights).loss
            XCTAssertEqual(gradient.data[i], (lp - lm) / 2e-2, accuracy: 2e-3)
        }
        // Unweighted equals all-ones weights.
        let a = softmaxCrossEntropy(logits: logits, labels: labels)
        let b = softmaxCrossEntropy(logits: logits, labels: labels, classWeights: [1, 1, 1])
        XCTAssertEqual(a.loss, b.loss)
        XCTAssertEqual(a.gradient, b.gradient)
    }
}
