import Foundation
import XCTest
@testable import SmileNN

/// Informal timing, run only with `SMILE_NN_BENCH=1` (no timed assertions).
final class BenchmarkTests: XCTestCase {
    func testVGG19Speed() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SMILE_NN_BENCH"] == "1", "set SMILE_NN_BENCH=1 to time")
        setThreadCount(1)
        let config = VGG19Configuration(widthMultiplier: 0.25, inputHeight: 64, inputWidth: 64, inputChannels: 1, batchNorm: ProcessInfo.processInfo.environment["SMILE_NN_BN"] == "1", head: .dense(hidden: [256], dropout: 0.5))
        let model = VGG19.make(config, seed: 1)
        let x = randomTensor([32, 1, 64, 64], seed: 2)
        let labels = (0..<32).map { $0 % 2 }
        let opt = Adam()
        func time(_ label: String, _ reps: Int, _ body: () -> Void) {
            body()
            let start = Date(), cpu = threadSeconds()
            for _ in 0..<reps { body() }
            let wall = Date().timeIntervalSince(start) * 1000 / Double(reps)
            let used = (threadSeconds() - cpu) * 1000 / Double(reps)
            print("\(label): \(String(format: "%.1f", wall)) ms wall, \(String(format: "%.1f", used)) ms thread CPU")
        }
        time("predict batch 32", 5) { _ = model.predictProbabilities(x) }
        time("forward(training) batch 32", 5) { _ = model.forward(x, training: true); model.layers.forEach { $0.releaseCaches() } }
        if ProcessInfo.processInfo.environment["SMILE_NN_LAYERS"] == "1" {
            var h = x
            var outs: [Tensor] = []
            for layer in model.layers {
                let input = h
                let c = threadSeconds()
                for _ in 0..<3 { h = Tensor(shape: [0]); h = layer.forward(input, training: true) }
                layer.releaseCaches()
                outs.append(Tensor(shape: h.shape, data: h.data.map { $0 }))
                print("  fwd \(layer.name): \(String(format: "%.2f", (threadSeconds() - c) * 1000 / 3)) ms")
            }
            var g = randomTensor(h.shape, seed: 3)
            for (i, layer) in model.layers.enumerated().reversed() {
                let gin = g
                _ = layer.forward(i == 0 ? x : outs[i - 1], training: true)
                let c = threadSeconds()
                g = layer.backward(gin)
                print("  bwd \(layer.name): \(String(format: "%.2f", (threadSeconds() - c) * 1000)) ms")
            }
        }
        time("train step batch 32", 5) {
            model.zeroGradients()
            let (_, g) = softmaxCrossEntropy(logits: model.forward(x, training: true), labels: labels)
            model.accumulateGradients(g)
            opt.step(model.parameters)
        }
    }
}

/// CPU seconds used by the calling thread.
func threadSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
