import XCTest
@testable import SmileNN

final class DenseTests: XCTestCase {
    func testForwardMatchesReference() {
        var rng = SeededRandom(seed: 1)
        let dense = Dense(name: "d", inputs: 7, outputs: 4, rng: &rng)
        dense.bias.value = randomTensor([4], seed: 2)
        let x = randomTensor([3, 7], seed: 3)
        var expected = Tensor(shape: [3, 4])
        for n in 0..<3 { for o in 0..<4 {
            var s = dense.bias.value.data[o]
            for i in 0..<7 { s += x.data[n * 7 + i] * dense.weight.value.data[o * 7 + i] }
            expected.data[n * 4 + o] = s
        }}
        assertClose(dense.forward(x, training: false), expected)
    }

    func testBackward() {
        var rng = SeededRandom(seed: 4)
        let dense = Dense(name: "d", inputs: 6, outputs: 3, rng: &rng)
        dense.bias.value = randomTensor([3], seed: 2)
        checkGradients(layer: dense, input: randomTensor([4, 6], seed: 5))
    }

    func testReLU() {
        let x = distinctTensor([2, 3, 3, 2], seed: 6)
        let relu = ReLU(name: "r")
        XCTAssertEqual(relu.forward(x, training: false).data, x.data.map { max($0, 0) })
        checkGradients(layer: relu, input: x, epsilon: 1e-2)
    }

    func testDropout() {
        let x = randomTensor([4, 50], seed: 7)
        let layer = Dropout(name: "drop", rate: 0.3, seed: 11)
        XCTAssertEqual(layer.forward(x, training: false), x)
        let y = layer.forward(x, training: true)
        var zeros = 0
        for i in 0..<x.count {
            if y.data[i] == 0 { zeros += 1 } else { XCTAssertEqual(y.data[i], x.data[i] / 0.7, accuracy: 1e-5) }
        }
        XCTAssert(zeros > 30 && zeros < 90, "dropped \(zeros) of 200")
        // Same seed -> same mask; recreate the layer for every evaluation to fix the mask.
        let probe = Dropout(name: "drop", rate: 0.3, seed: 11)
        checkGradients(layer: probe, input: x, forward: { Dropout(name: "drop", rate: 0.3, seed: 11).forward($0, training: true) })
    }

    func testSoftmaxLayer() {
        let x = randomTensor([3, 4], seed: 8)
        let layer = Softmax(name: "s")
        let y = layer.forward(x, training: true)
        for r in 0..<3 { XCTAssertEqual(y.data[(r * 4)..<(r * 4 + 4)].reduce(0, +), 1, accuracy: 1e-5) }
        checkGradients(layer: layer, input: x, epsilon: 1e-3)
    }
}
