import XCTest
@testable import SmileNN

final class PoolingTests: XCTestCase {
    func testMaxPoolForward() {
        let x = randomTensor([2, 3, 5, 7], seed: 1)
        let y = MaxPool2D(name: "p").forward(x, training: false)
        XCTAssertEqual(y.shape, [2, 3, 2, 3])
        for p in 0..<6 { for oy in 0..<2 { for ox in 0..<3 {
            var m = -Float.infinity
            for dy in 0..<2 { for dx in 0..<2 { m = max(m, x.data[p * 35 + (2 * oy + dy) * 7 + 2 * ox + dx]) } }
            XCTAssertEqual(y.data[(p * 2 + oy) * 3 + ox], m)
        }}}
        XCTAssertEqual(MaxPool2D(name: "p").forward(x, training: true), y)
    }

    func testMaxPoolBackward() {
        checkGradients(layer: MaxPool2D(name: "p"), input: distinctTensor([2, 2, 4, 5], seed: 2), epsilon: 1e-3)
    }

    func testGlobalAveragePool() {
        let x = randomTensor([2, 3, 4, 5], seed: 3)
        let layer = GlobalAveragePool(name: "g")
        let y = layer.forward(x, training: false)
        XCTAssertEqual(y.shape, [2, 3])
        for p in 0..<6 {
            let mean = x.data[(p * 20)..<(p * 20 + 20)].reduce(0, +) / 20
            XCTAssertEqual(y.data[p], mean, accuracy: 1e-5)
        }
        checkGradients(layer: layer, input: x)
    }

    func testFlatten() {
        let x = randomTensor([2, 3, 2, 2], seed: 4)
        let layer = Flatten(name: "f")
        let y = layer.forward(x, training: true)
        XCTAssertEqual(y.shape, [2, 12])
        XCTAssertEqual(y.data, x.data)
        checkGradients(layer: layer, input: x)
    }
}
