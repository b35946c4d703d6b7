import Foundation
import SmileNN

/// Measures the input scale of each convolution for the int8 path (`ConvolutionPrecision.int8`) on
/// face crops framed as in training.
///
/// Each 3x3 convolution's inputs, over every crop, are sampled channel by channel (every k-th value
/// of a channel's plane, about 64 thousand a channel) and the `percentile`-th of a channel's values
/// becomes its input maximum: 127 in the 7-bit input code. A scale per input channel lets a channel
/// of small values use all 127 steps too (the kernel folds the scales into the weights). A layer
/// whose inputs go below zero anywhere (the first, fed with normalised pixels) gets none and stays
/// in float. The same crops give the same maxima.
public enum Int8Calibration {
    /// Values kept per input channel for the percentile.
    static let samplesPerChannel = 1 << 16

    /// What a calibration measured.
    public struct Result: Equatable {
        /// Each calibrated layer's input maxima (one per input channel), by name.
        public var maxima: [String: [Float]]
        /// The layers left in float, because their inputs can be negative.
        public var floatLayers: [String]
    }

    /// Calibrates `model` on every crop of `bank` (no augmentation), in batches.
    public static func calibrate(_ model: SmileModel, bank: FaceCropBank, percentile: Double = 99.99, batchSize: Int = 64) -> Result {
        let (_, side, _) = model.metadata.inputShape
        let loader = BatchLoader(bank: bank, augmentation: .none, inputSide: side,
                                 mean: model.metadata.normalisationMean[0], std: model.metadata.normalisationStd[0])
        var samples: [String: [[Float]]] = [:], order: [String] = [], negative: Set<String> = []
        loader.forEachBatch(of: Array(0..<bank.count), batchSize: batchSize, seed: 0) { _, input, _ in
            model.network.forEachConvolutionInput(input) { name, x in
                let images = x.shape[0], channels = x.shape[1], plane = x.shape[2] * x.shape[3]
                if samples[name] == nil { order.append(name); samples[name] = Array(repeating: [], count: channels) }
                if x.data.contains(where: { $0 < 0 }) { negative.insert(name) }
                // Every k-th value of a channel's plane, k from the plane's size and the crops.
                let step = max(1, plane * bank.count / samplesPerChannel)
                for image in 0..<images {
                    for c in 0..<channels {
                        let base = (image * channels + c) * plane
                        samples[name]![c].append(contentsOf: stride(from: base, to: base + plane, by: step).map { x.data[$0] })
                    }
                }
            }
        }
        var maxima: [String: [Float]] = [:]
        for name in order where !negative.contains(name) {
            maxima[name] = samples[name]!.map { values in
                let sorted = values.sorted()
                guard let largest = sorted.last, largest > 0 else { return 0 }
                let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * percentile / 100).rounded()))
                return sorted[index] > 0 ? sorted[index] : largest
            }
        }
        return Result(maxima: maxima, floatLayers: order.filter { maxima[$0] == nil })
    }
}

extension SmileModel {
    /// This model with `maxima` as its int8 calibration (in its metadata and its network), `note`
    /// added to its provenance under `int8_calibration`.
    public func calibratedForInt8(_ maxima: [String: [Float]], note: String) throws -> SmileModel {
        var metadata = self.metadata
        metadata.int8InputMaxima = maxima
        metadata.provenance["int8_calibration"] = note
        let network = Self.makeNetwork(for: metadata, seed: 0, randomWeights: false)
        try network.load(Dictionary(self.network.namedTensors().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first }))
        return SmileModel(network: network, metadata: metadata, source: source)
    }
}
