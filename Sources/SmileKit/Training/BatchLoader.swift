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
        let starts = Array(stride(from: 0, to: order.count, by: batchSize))
        guard !starts.isEmpty else { return }
        func slice(_ k: Int) -> ArraySlice<Int> { order[starts[k]..<min(starts[k] + batchSize, order.count)] }
        func batchSeed(_ k: Int) -> UInt64 { seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k) }
        var pending: (Tensor, [Int])? = makeBatch(slice(0), seed: batchSeed(0))
        for k in starts.indices {
            let (input, labels) = pending!
            let group = DispatchGroup()
            var next: (Tensor, [Int])?
            if k + 1 < starts.count {
                queue.async(group: group) { next = self.makeBatch(slice(k + 1), seed: batchSeed(k + 1)) }
            }
            try body(k, input, labels)
            group.wait()
            pending = next
        }
    }
}
