import XCTest
@testable import SmileNN

final class ModelTests: XCTestCase {
    func testVGG19ConvolutionParameterCount() {
        let full = VGG19Configuration(widthMultiplier: 1, inputChannels: 3, head: .globalAveragePool(dropout: 0))
        XCTAssertEqual(VGG19.convolutionParameterCount(full), 20_024_384)
        let model = VGG19.make(full, seed: 1)
        let convCount = model.layers.compactMap { $0 as? Conv2D }.flatMap { $0.parameters }.reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(convCount, 20_024_384)
        XCTAssertEqual(model.layers.compactMap { $0 as? Conv2D }.count, 16)
        XCTAssertEqual(model.layers[VGG19.blockStartIndex(5, in: model)].name, "block5_conv1")
        XCTAssertEqual(model.layers[VGG19.blockStartIndex(6, in: model)].name, "global_pool")
    }

    func testSmallVGGRunsAtSeveralSizes() {
        for (h, w, bn, head) in [(64, 64, false, VGG19Configuration.Head.dense(hidden: [16], dropout: 0.5)),
                                 (218, 178, true, .globalAveragePool(dropout: 0.5))] {
            let config = VGG19Configuration(widthMultiplier: 0.25, inputHeight: h, inputWidth: w, inputChannels: 1, batchNorm: bn, head: head)
            let model = VGG19.make(config, seed: 2)
            let x = randomTensor([2, 1, h, w], seed: 3)
            let p = model.predictProbabilities(x)
            XCTAssertEqual(p.shape, [2, 2])
            for r in 0..<2 { XCTAssertEqual(p.data[2 * r] + p.data[2 * r + 1], 1, accuracy: 1e-5) }
            let logits = model.forward(x, training: true)
            XCTAssertEqual(logits.shape, [2, 2])
            let (_, g) = softmaxCrossEntropy(logits: logits, labels: [0, 1])
            XCTAssertEqual(model.backward(g).shape, x.shape)
            if bn { XCTAssertNotNil(model.layers.first { $0.name == "block1_bn1" }) }
        }
    }

    func testDeterminism() {
        func run() -> ([(name: String, tensor: Tensor)], [Float]) {
            let config = VGG19Configuration(widthMultiplier: 0.125, inputHeight: 32, inputWidth: 32, inputChannels: 1, batchNorm: true, head: .dense(hidden: [8], dropout: 0.5))
            let model = VGG19.make(config, seed: 42)
            let initial = model.namedTensors()
            let opt = Adam(learningRate: 1e-3)
            let x = randomTensor([4, 1, 32, 32], seed: 5)
            var losses: [Float] = []
            for _ in 0..<3 {
                model.zeroGradients()
                let (loss, g) = softmaxCrossEntropy(logits: model.forward(x, training: true), labels: [0, 1, 1, 0])
                model.accumulateGradients(g)
                opt.step(model.parameters)
                losses.append(loss)
            }
            return (initial, losses)
        }
        let (a, la) = run(), (b, lb) = run()
        XCTAssertEqual(a.map(\.name), b.map(\.name))
        XCTAssertEqual(a.map(\.tensor), b.map(\.tensor))
        XCTAssertEqual(la, lb)
        XCTAssertTrue(a.map(\.name).contains("block1_bn1.running_mean"))
        XCTAssertTrue(a.map(\.name).contains("fc1.weight"))
    }

    func testAccumulateGradientsMatchesBackward() {
        var rng = SeededRandom(seed: 9)
        let conv1 = Conv2D(name: "c1", inputChannels: 1, outputChannels: 2, rng: &rng)
        let conv2 = Conv2D(name: "c2", inputChannels: 2, outputChannels: 2, rng: &rng)
        let model = Sequential([conv1, ReLU(name: "r"), conv2, GlobalAveragePool(name: "g"), Dense(name: "d", inputs: 2, outputs: 2, rng: &rng)])
        conv1.parameters.forEach { $0.isTrainable = false }
        let x = randomTensor([2, 1, 6, 6], seed: 1)
        let (_, g) = softmaxCrossEntropy(logits: model.forward(x, training: true), labels: [0, 1])
        _ = model.backward(g)
        let full = model.parameters.map(\.gradient)
        model.zeroGradients()
        _ = model.forward(x, training: true)
        model.accumulateGradients(g)
        for (p, expected) in zip(model.parameters, full) where p.isTrainable { assertClose(p.gradient, expected, tolerance: 1e-6) }
        XCTAssertTrue(conv1.weight.gradient.data.allSatisfy { $0 == 0 })
    }

    func testSaveLoadRoundTrip() throws {
        let config = VGG19Configuration(widthMultiplier: 0.125, inputHeight: 32, inputWidth: 32, inputChannels: 1, batchNorm: true, head: .dense(hidden: [8], dropout: 0.5))
        let source = VGG19.make(config, seed: 1), target = VGG19.make(config, seed: 2)
        _ = source.forward(randomTensor([2, 1, 32, 32], seed: 1), training: true)  // move running statistics
        source.layers.forEach { $0.releaseCaches() }
        let x = randomTensor([3, 1, 32, 32], seed: 4)
        XCTAssertNotEqual(source.predictProbabilities(x), target.predictProbabilities(x))
        let saved = Dictionary(uniqueKeysWithValues: source.namedTensors().map { ($0.name, $0.tensor) })
        try target.load(saved)
        XCTAssertEqual(target.namedTensors().map(\.tensor), source.namedTensors().map(\.tensor))
        assertClose(target.predictProbabilities(x), source.predictProbabilities(x), tolerance: 1e-6)

        var missing = saved
        missing["block3_bn2.running_var"] = nil
        XCTAssertThrowsError(try target.load(missing)) { error in
            XCTAssertEqual(error as? ModelLoadError, .missingTensor(name: "block3_bn2.running_var"))
            XCTAssertTrue("\(error)".contains("block3_bn2.running_var"))
        }
        var wrong = saved
        wrong["fc1.weight"] = Tensor(shape: [8, 3])
        XCTAssertThrowsError(try target.load(wrong)) { error in
            XCTAssertEqual(error as? ModelLoadError, .shapeMismatch(name: "fc1.weight", expected: [8, 64], found: [8, 3]))
            XCTAssertTrue("\(error)".contains("fc1.weight"))
        }
    }

    func testBenchmarkCNNShapes() {
        let model = BenchmarkCNN.make(inputChannels: 1, inputHeight: 48, inputWidth: 40, seed: 3)
        XCTAssertEqual(model.predictProbabilities(randomTensor([3, 1, 48, 40], seed: 1)).shape, [3, 2])
        XCTAssertEqual(model.layers.compactMap { $0 as? Dropout }.count, 2)
    }

    /// A small CNN learns "bright square top-left" vs "bottom-right".
    func testTinyNetworkLearns() {
        var rng = SeededRandom(seed: 11)
        func sample(_ label: Int) -> [Float] {
            var img = [Float](repeating: 0, count: 256)
            for i in 0..<256 { img[i] = rng.uniform() * 0.3 }
            let oy = label == 0 ? Int(rng.next() % 3) : 10 + Int(rng.next() % 3)
            let ox = label == 0 ? Int(rng.next() % 3) : 10 + Int(rng.next() % 3)
            for y in oy..<(oy + 4) { for x in ox..<(ox + 4) { img[y * 16 + x] = 1 } }
            return img
        }
        func batch(_ n: Int) -> (Tensor, [Int]) {
            let labels = (0..<n).map { $0 % 2 }
            return (Tensor(shape: [n, 1, 16, 16], data: labels.flatMap(sample)), labels)
        }
        var init_ = SeededRandom(seed: 12)
        let model = Sequential([
            Conv2D(name: "c1", inputChannels: 1, outputChannels: 4, rng: &init_), ReLU(name: "r1"), MaxPool2D(name: "p1"),
            Flatten(name: "f"), Dense(name: "d", inputs: 4 * 64, outputs: 2, rng: &init_),
        ])
        let opt = Adam(learningRate: 0.01)
        for _ in 0..<40 {
            let (x, y) = batch(16)
            model.zeroGradients()
            let (_, g) = softmaxCrossEntropy(logits: model.forward(x, training: true), labels: y)
            model.accumulateGradients(g)
            opt.step(model.parameters)
        }
        let (x, y) = batch(200)
        let p = model.predictProbabilities(x)
        let correct = (0..<200).filter { (p.data[2 * $0 + 1] > p.data[2 * $0] ? 1 : 0) == y[$0] }.count
        XCTAssertGreaterThan(Double(correct) / 200, 0.95)
    }
}
