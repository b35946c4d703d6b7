import Foundation
import SmileBenchmarks
import XCTest
@testable import SmileNN

/// `InferenceTiming.time` with a batch split over copies of a network: each copy gets its own part.
final class InferenceTimingTests: XCTestCase {
    /// Passes its input through, noting each input's batch size and first element.
    final class RecordingLayer: Layer {
        let name = "recording"
        private let lock = NSLock()
        private(set) var seen: [(batch: Int, first: Float)] = []
        func forward(_ input: Tensor, training: Bool) -> Tensor {
            lock.withLock { seen.append((input.shape[0], input.data[0])) }
            return input
        }
        func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
    }

    func testASplitBatchGoesPartByPartToItsOwnCopy() {
        let layers = [RecordingLayer(), RecordingLayer(), RecordingLayer()]
        let nets = layers.map { Sequential([$0]) }
        // Image i of the batch holds the value i everywhere.
        let input = Tensor(shape: [10, 1, 2, 2], data: (0..<10).flatMap { Array(repeating: Float($0), count: 4) })
        let timing = InferenceTiming.time(nets, input: input, parts: [0..<3, 3..<6, 6..<10], warmup: 1, repeats: 3)
        XCTAssertEqual(timing.samples.count, 3)
        XCTAssertTrue(timing.samples.allSatisfy { $0 >= 0 })
        for (layer, (batch, first)) in zip(layers, [(3, Float(0)), (3, 3), (4, 6)]) {
            XCTAssertEqual(layer.seen.count, 4, "one warm-up and three timed passes")
            XCTAssertTrue(layer.seen.allSatisfy { $0.batch == batch && $0.first == first }, "\(layer.seen)")
        }
    }

    func testOnePartIsTheWholeBatchOnTheFirstNetwork() {
        let layers = [RecordingLayer(), RecordingLayer()]
        let input = Tensor(shape: [5, 1, 1, 1], data: [7, 1, 2, 3, 4])
        _ = InferenceTiming.time(layers.map { Sequential([$0]) }, input: input, parts: [0..<5], warmup: 0, repeats: 2)
        XCTAssertEqual(layers[0].seen.map(\.batch), [5, 5])
        XCTAssertEqual(layers[0].seen.map(\.first), [7, 7])
        XCTAssertTrue(layers[1].seen.isEmpty)
    }
}
