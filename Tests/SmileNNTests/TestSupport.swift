import XCTest
@testable import SmileNN

/// A random tensor with normal entries.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = SeededRandom(seed: seed)
    return Tensor(shape: shape, normalStd: scale, rng: &rng)
}

/// A random tensor whose entries are distinct multiples of `step` (no ties, no values near zero when offset).
func distinctTensor(_ shape: [Int], seed: UInt64, step: Float = 0.05) -> Tensor {
    var rng = SeededRandom(seed: seed)
    let n = shape.reduce(1, *)
    var values = (0..<n).map { Float($0) - Float(n) / 2 + 0.5 }
    values.shuffle(using: &rng)
    return Tensor(shape: shape, data: values.map { $0 * step })
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
    guard a.shape == b.shape else { return }
    var worst: Float = 0
    for i in 0..<a.count {
        let d = abs(a.data[i] - b.data[i]) / max(1, abs(b.data[i]))
        worst = max(worst, d)
    }
    XCTAssertLessThanOrEqual(worst, tolerance, "max relative difference \(worst) \(message)", file: file, line: line)
}

/// `sum(weights * output)` in Double.
func projectedLoss(_ output: Tensor, _ weights: Tensor) -> Double {
    var s = 0.0
    for i in 0..<output.count { s += Double(output.data[i]) * Double(weights.data[i]) }
    return s
}

/// Compares a layer's analytic input and parameter gradients with central finite differences of
/// `L = sum(r * layer(x))`. `forward`, if given, replaces the layer's training forward for the finite differences
/// (e.g. recreating a dropout layer so the mask stays fixed).
func checkGradients(
    layer: Layer, input: Tensor, epsilon: Float = 1e-2, tolerance: Double = 2e-2, maxChecks: Int = 60,
    forward: ((Tensor) -> Tensor)? = nil, file: StaticString = #filePath, line: UInt = #line
) {
    let run: (Tensor) -> Tensor = forward ?? { layer.forward($0, training: true) }
    let out = layer.forward(input, training: true)
    let r = randomTensor(out.shape, seed: 99)
    for p in layer.parameters { p.gradient.zero() }
    let dx = layer.backward(r)
    XCTAssertEqual(dx.shape, input.shape, file: file, line: line)
    var rng = SeededRandom(seed: 7)

    func compare(_ analytic: Float, _ numeric: Double, _ what: String) {
        let err = abs(Double(analytic) - numeric) / max(1e-2, abs(Double(analytic)) + abs(numeric))
        XCTAssertLessThan(err, tolerance, "\(layer.name) \(what): analytic \(analytic) numeric \(numeric)", file: file, line: line)
    }

    let inputIndices = input.count <= maxChecks ? Array(0..<input.count) : (0..<maxChecks).map { _ in Int(rng.next() % UInt64(input.count)) }
    for i in inputIndices {
        var xp = input, xm = input
        xp.data[i] += epsilon
        xm.data[i] -= epsilon
        let lp = projectedLoss(run(xp), r), lm = projectedLoss(run(xm), r)
        compare(dx.data[i], (lp - lm) / (2 * Double(epsilon)), "input[\(i)]")
    }
    for p in layer.parameters {
        let grad = p.gradient
        let indices = p.value.count <= maxChecks ? Array(0..<p.value.count) : (0..<maxChecks).map { _ in Int(rng.next() % UInt64(p.value.count)) }
        for i in indices {
            let original = p.value.data[i]
            p.value.data[i] = original + epsilon
            let lp = projectedLoss(run(input), r)
            p.value.data[i] = original - epsilon
            let lm = projectedLoss(run(input), r)
            p.value.data[i] = original
            compare(grad.data[i], (lp - lm) / (2 * Double(epsilon)), "\(p.name)[\(i)]")
        }
    }
    layer.releaseCaches()
}
