import Foundation
import SmileNN
import SmileVision

/// Runs a model over a crop bank without augmentation.
public enum Evaluator {
    /// p(smile) for every crop of `bank` (its framing rectangle resized to the input), in batches.
    public static func probabilities(_ model: SmileModel, bank: FaceCropBank, batchSize: Int = 64) -> [Float] {
        let (_, side, _) = model.metadata.inputShape
        let loader = BatchLoader(bank: bank, augmentation: .none, inputSide: side,
                                 mean: model.metadata.normalisationMean[0], std: model.metadata.normalisationStd[0])
        var result: [Float] = []
        result.reserveCapacity(bank.count)
        loader.forEachBatch(of: Array(0..<bank.count), batchSize: batchSize, seed: 0) { _, input, _ in
            let p = model.network.predictProbabilities(input)
            for n in 0..<input.shape[0] { result.append(p.data[n * 2 + 1]) }
        }
        return result
    }

    /// Mean (optionally class-weighted) cross-entropy and accuracy at 0.5 over `bank`.
    public static func lossAndAccuracy(_ model: SmileModel, bank: FaceCropBank, classWeights: [Float]?) -> (Float, Float) {
        guard bank.count > 0 else { return (.nan, .nan) }
        let p = probabilities(model, bank: bank)
        var loss: Double = 0, weightSum: Double = 0, correct = 0
        for (index, face) in bank.faces.enumerated() {
            let weight = Double(classWeights?[face.label] ?? 1)
            let probability = Double(face.label == 1 ? p[index] : 1 - p[index])
            loss -= weight * log(max(probability, 1e-7))
            weightSum += weight
            if (p[index] >= 0.5) == (face.label == 1) { correct += 1 }
        }
        return (Float(loss / weightSum), Float(correct) / Float(bank.count))
    }
}
