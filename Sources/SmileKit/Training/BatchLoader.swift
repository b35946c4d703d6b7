import Dispatch
import Foundation
import SmileNN

/// Makes training batches from a crop bank on a background thread, one batch ahead of the compute.
///
/// Batch `k` of an epoch is made with its own generator seeded by (seed, epoch, k), so the
/// batches are the same whichever thread makes them. Only two batches exist at once, so memory
/// stays bounded whatever the epoch size.
public final class BatchLoader {
    private let bank: FaceCropBank
    private let augmentation: Augmentation
    private let inputSide: Int
    private let mean: Float, std: Float
    private let queue = DispatchQueue(label: "smile.batch-loader")

    public init(bank: FaceCropBank, augmentation: Augmentation, inputSide: Int, mean: Float, std: Float) {
        self.bank = bank
        self.augmentation = augmentation
        self.inputSide = inputSide
        self.mean = mean
        self.std = std
    }

    /// One batch: the input tensor `[n, 1, side, side]` and the labels.
    public func makeBatch(_ indices: ArraySlice<Int>, seed: UInt64) -> (input: Tensor, labels: [Int]) {
        var rng = SeededRandom(seed: seed)
        let plane = inputSide * inputSide
        var data = [Float](repeating: 0, count: indices.count * plane)
        data.withUnsafeMutableBufferPointer { buffer in
            for (slot, index) in indices.enumerated() {
                let destination = UnsafeMutableBufferPointer(rebasing: buffer[(slot * plane)..<((slot + 1) * plane)])
                augmentation.apply(bank.image(index), context: bank.context, inputSide: inputSide, mean: mean, std: std,
                                   rng: &rng, into: destination)
            }
        }
        return (Tensor(shape: [indices.count, 1, inputSide, inputSide], data: data), indices.map { bank.faces[$0].label })
    }

    /// Calls `body` with each batch of `order` in turn while the next batch is being made.
    public func forEachBatch(of order: [Int], batchSize: Int, seed: UInt64, _ body: (Int, Tensor, [Int]) throws -> Void) rethrows {
        let slices = stride(from: 0, to: order.count, by: batchSize).map { order[$0..<min($0 + batchSize, order.count)] }
        guard !slices.isEmpty else { return }
        let seeds = slices.indices.map { seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64($0) }
        var current = makeBatch(slices[0], seed: seeds[0])
        for k in slices.indices {
            let next = k + 1 < slices.count ? Prefetch(queue: queue) { self.makeBatch(slices[k + 1], seed: seeds[k + 1]) } : nil
            try body(k, current.input, current.labels)
            if let next { current = next.wait() }
        }
    }
}

/// A value computed on a background queue, collected with `wait()`.
private final class Prefetch<Value>: @unchecked Sendable {
    private var value: Value?
    private let group = DispatchGroup()

    init(queue: DispatchQueue, _ make: @escaping () -> Value) {
        queue.async(group: group) { self.value = make() }
    }

    /// Blocks until the value is ready and returns it.
    func wait() -> Value {
        group.wait()
        return value!
    }
}
