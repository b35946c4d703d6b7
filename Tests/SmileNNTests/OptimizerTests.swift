import XCTest
@testable import SmileNN

final class OptimizerTests: XCTestCase {
    func makeParameters() -> (Parameter, Parameter) {
        let p = Parameter(name: "p", value: Tensor(shape: [2], data: [1, -2]))
        p.gradient = Tensor(shape: [2], data: [0.5, -1])
        let frozen = Parameter(name: "f", value: Tensor(shape: [1], data: [3]))
        frozen.gradient = Tensor(shape: [1], data: [10])
        frozen.isTrainable = false
        return (p, frozen)
    }

    func testSGDMomentum() {
        let (p, frozen) = makeParameters()
        let opt = SGD(learningRate: 0.1, momentum: 0.9)
        opt.step([p, frozen])
        // v = g; w -= 0.1 g
        XCTAssertEqual(p.value.data[0], 0.95, accuracy: 1e-6)
        XCTAssertEqual(p.value.data[1], -1.9, accuracy: 1e-6)
        opt.step([p, frozen])
        // v = 0.9 g + g = 1.9 g; w -= 0.19 g
        XCTAssertEqual(p.value.data[0], 0.95 - 0.095, accuracy: 1e-6)
        XCTAssertEqual(p.value.data[1], -1.9 + 0.19, accuracy: 1e-6)
        XCTAssertEqual(frozen.value.data, [3])
        // Nesterov, first step: w -= lr (g + mu g).
        let (q, _) = makeParameters()
        SGD(learningRate: 0.1, momentum: 0.9, nesterov: true).step([q])
        XCTAssertEqual(q.value.data[0], 1 - 0.1 * 0.5 * 1.9, accuracy: 1e-6)
    }

    func testRMSprop() {
        let (p, frozen) = makeParameters()
        RMSprop(learningRate: 0.01, rho: 0.9, epsilon: 1e-7).step([p, frozen])
        // s = 0.1 g^2; w -= 0.01 g / sqrt(0.1 g^2)
        let expected0 = 1 - 0.01 * 0.5 / ((0.1 * 0.25).squareRoot() + 1e-7)
        XCTAssertEqual(Double(p.value.data[0]), expected0, accuracy: 1e-6)
        XCTAssertEqual(Double(p.value.data[1]), -2 + 0.01 / (0.1.squareRoot() + 1e-7), accuracy: 1e-6)
        XCTAssertEqual(frozen.value.data, [3])
    }

    func testAdam() {
        let (p, frozen) = makeParameters()
        let opt = Adam(learningRate: 0.1)
        opt.step([p, frozen])
        // Step 1: m = 0.1 g, v = 0.001 g^2; alpha = 0.1 sqrt(0.001)/0.1; update = alpha * m / (sqrt(v) + eps) ≈ 0.1 sign(g)
        let alpha = 0.1 * (0.001).squareRoot() / 0.1
        let update0 = alpha * 0.05 / ((0.001 * 0.25).squareRoot() + 1e-7)
        XCTAssertEqual(Double(p.value.data[0]), 1 - update0, accuracy: 1e-6)
        XCTAssertEqual(Double(p.value.data[1]), -2 + update0, accuracy: 1e-5)
        XCTAssertEqual(frozen.value.data, [3])
        // Step 2 by hand.
        opt.step([p])
        let m = 0.9 * 0.05 + 0.1 * 0.5, v = 0.999 * 0.00025 + 0.001 * 0.25
        let alpha2 = 0.1 * (1 - 0.999 * 0.999).squareRoot() / (1 - 0.81)
        XCTAssertEqual(Double(p.value.data[0]), 1 - update0 - alpha2 * m / (v.squareRoot() + 1e-7), accuracy: 1e-5)
    }

    func testAdamWDecoupledDecay() {
        let p = Parameter(name: "p", value: Tensor(shape: [1], data: [2]))
        Adam(learningRate: 0.1, weightDecay: 0.5).step([p])  // zero gradient: only the decay acts
        XCTAssertEqual(p.value.data[0], 2 - 0.1 * 0.5 * 2, accuracy: 1e-6)
    }

    func testSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.1, epoch: 7), 0.1)
        XCTAssertEqual(LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 5), 0.25)
        let cosine = LearningRateSchedule.cosine(totalEpochs: 10, minimum: 0.01)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 0), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 5), 0.505, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 10), 0.01, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 20), 0.01, accuracy: 1e-6)
    }
}
