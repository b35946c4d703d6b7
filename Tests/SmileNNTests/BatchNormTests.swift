import XCTest
@testable import SmileNN

final class BatchNormTests: XCTestCase {
    func makeLayer() -> BatchNorm2D {
        let bn = BatchNorm2D(name: "bn", channels: 3)
        bn.gamma.value = randomTensor([3], seed: 1, scale: 0.5)
        bn.gamma.value.data = bn.gamma.value.data.map { $0 + 1 }
        bn.beta.value = randomTensor([3], seed: 2)
        return bn
    }

    func testTrainingForwardAndRunningStatistics() {
        let bn = makeLayer()
        let x = randomTensor([4, 3, 3, 5], seed: 3, scale: 2)
        let y = bn.forward(x, training: true)
        for c in 0..<3 {
            var values: [Double] = []
            for n in 0..<4 { for j in 0..<15 { values.append(Double(x.data[(n * 3 + c) * 15 + j])) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            for n in 0..<4 { for j in 0..<15 {
                let i = (n * 3 + c) * 15 + j
                let expected = Double(bn.gamma.value.data[c]) * (Double(x.data[i]) - mean) / (variance + 1e-3).squareRoot() + Double(bn.beta.value.data[c])
                XCTAssertEqual(Double(y.data[i]), expected, accuracy: 1e-4)
            }}
            XCTAssertEqual(Double(bn.runningMean.data[c]), 0.01 * mean, accuracy: 1e-5)
            XCTAssertEqual(Double(bn.runningVariance.data[c]), 0.99 + 0.01 * variance, accuracy: 1e-5)
        }
    }

    func testInferenceForward() {
        let bn = makeLayer()
        bn.buffers = ["running_mean": Tensor(shape: [3], data: [0.5, -1, 2]), "running_var": Tensor(shape: [3], data: [4, 0.25, 1])]
        let x = randomTensor([2, 3, 4, 2], seed: 4)
        let y = bn.forward(x, training: false)
        for n in 0..<2 { for c in 0..<3 { for j in 0..<8 {
            let i = (n * 3 + c) * 8 + j
            let expected = bn.gamma.value.data[c] * (x.data[i] - bn.runningMean.data[c]) / (bn.runningVariance.data[c] + 1e-3).squareRoot() + bn.beta.value.data[c]
            XCTAssertEqual(y.data[i], expected, accuracy: 1e-5)
        }}}
    }

    func testBackward() {
        checkGradients(layer: makeLayer(), input: randomTensor([3, 3, 2, 3], seed: 5), epsilon: 1e-2)
    }

    func testFoldingIntoConvolution() {
        var rng = SeededRandom(seed: 6)
        let conv = Conv2D(name: "c", inputChannels: 2, outputChannels: 3, rng: &rng)
        conv.bias!.value = randomTensor([3], seed: 7)
        let bn = makeLayer()
        bn.buffers = ["running_mean": Tensor(shape: [3], data: [0.3, -0.2, 0.1]), "running_var": Tensor(shape: [3], data: [2, 0.5, 1.5])]
        let model = Sequential([conv, bn, ReLU(name: "r"), GlobalAveragePool(name: "g"), Dense(name: "d", inputs: 3, outputs: 2, rng: &rng)])
        let x = randomTensor([3, 2, 6, 5], seed: 8)
        let unfolded = softmax(model.forward(x, training: false))
        let folded = model.predictProbabilities(x)
        assertClose(folded, unfolded, tolerance: 1e-4)
        // Changing a weight invalidates the cached plan.
        bn.gamma.value.data[0] += 1
        assertClose(model.predictProbabilities(x), softmax(model.forward(x, training: false)), tolerance: 1e-4)
        // Training forwards change running statistics, which also invalidates it.
        _ = model.forward(randomTensor([3, 2, 6, 5], seed: 9, scale: 3), training: true)
        model.layers.forEach { $0.releaseCaches() }
        assertClose(model.predictProbabilities(x), softmax(model.forward(x, training: false)), tolerance: 1e-4)
    }
}
