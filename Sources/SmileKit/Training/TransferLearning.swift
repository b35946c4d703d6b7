import Foundation
import SmileNN

/// The study's transfer learning, first pass: start from a base network's convolution blocks and
/// train the top MLP on their bottleneck features; the second pass (block 5 fine-tuned with SGD
/// at a low learning rate, with augmentation) is the ordinary `Trainer` run with blocks 1-4 frozen.
public enum TransferLearning {
    /// A base network's convolution weights and how its input is normalised.
    public struct Base {
        public var tensors: [String: Tensor]
        public var batchNorm: Bool
        public var width: Double
        public var normalisationMean: Float
        public var normalisationStd: Float
        public var source: String
    }

    /// Loads a base: one of our model files, Keras's VGG-19 weights (`.h5`) or their `smile import-keras` conversion.
    ///
    /// Keras's ImageNet kernels take 3 BGR channels (mean-subtracted, "caffe" preprocessing);
    /// our crops are gray, so the first convolution's kernels are summed over their input channels.
    public static func loadBase(_ path: String) throws -> Base {
        var imported: [String: Tensor]?
        if path.lowercased().hasSuffix(".h5") {
            imported = try KerasHDF5Importer.importWeights(from: path)
        } else {
            let file = try SafeTensors.read(contentsOf: URL(fileURLWithPath: path))
            if file.metadata["format"] != "smile-model" { imported = file.tensors }  // written by `smile import-keras`
        }
        if var tensors = imported {
            if let first = tensors["block1_conv1.weight"], first.shape.count == 4, first.shape[1] == 3 {
                tensors["block1_conv1.weight"] = sumInputChannels(first)
            }
            return Base(tensors: tensors, batchNorm: false, width: 1, normalisationMean: 116.78, normalisationStd: 1, source: path)
        }
        let model = try SmileModel.load(contentsOf: URL(fileURLWithPath: path))
        guard model.metadata.architecture == "vgg19", model.metadata.network.inputChannels == 1 else {
            throw TrainingError.noData("\(path): a transfer base must be a 1-channel vgg19 model (this is \(model.metadata.architecture), \(model.metadata.network.inputChannels) channels)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in model.network.namedTensors() where name.hasPrefix("block") { tensors[name] = tensor }
        return Base(tensors: tensors, batchNorm: model.metadata.network.batchNorm, width: model.metadata.network.widthMultiplier,
                    normalisationMean: model.metadata.normalisationMean[0], normalisationStd: model.metadata.normalisationStd[0], source: path)
    }

    /// `[out, 3, kh, kw]` kernels summed over the input channels into `[out, 1, kh, kw]`.
    static func sumInputChannels(_ kernel: Tensor) -> Tensor {
        let (out, channels, plane) = (kernel.shape[0], kernel.shape[1], kernel.shape[2] * kernel.shape[3])
        var data = [Float](repeating: 0, count: out * plane)
        for o in 0..<out { for c in 0..<channels { for i in 0..<plane { data[o * plane + i] += kernel.data[(o * channels + c) * plane + i] } } }
        return Tensor(shape: [out, 1, kernel.shape[2], kernel.shape[3]], data: data)
    }

    /// Index of the first head layer (after block 5's pool).
    static func headStart(_ network: Sequential) -> Int {
        (network.layers.lastIndex { $0.name.hasPrefix("block5") } ?? (network.layers.count - 1)) + 1
    }

    /// Copies the base into `model`, and trains the top MLP on its bottleneck features.
    public static func prepare(model: SmileModel, base: Base, train: FaceCropBank, validation: FaceCropBank,
                               headEpochs: Int = 8, seed: UInt64, log: (String) -> Void) throws {
        let network = model.network
        var current: [String: Tensor] = [:]
        for (name, tensor) in network.namedTensors() { current[name] = base.tensors[name] ?? tensor }
        try network.load(current)
        let cut = headStart(network)
        let trunk = Sequential(Array(network.layers[..<cut]))
        let head = Sequential(Array(network.layers[cut...]))
        func features(_ bank: FaceCropBank) -> (Tensor, [Int]) {
            let (_, side, _) = model.metadata.inputShape
            let loader = BatchLoader(bank: bank, augmentation: .none, inputSide: side,
                                     mean: model.metadata.normalisationMean[0], std: model.metadata.normalisationStd[0])
            var data: [Float] = [], shape: [Int] = []
            loader.forEachBatch(of: Array(0..<bank.count), batchSize: 64, seed: 0) { _, input, _ in
                let output = trunk.forward(input, training: false)
                shape = Array(output.shape.dropFirst())
                data += output.data
            }
            return (Tensor(shape: [bank.count] + shape, data: data), bank.faces.map(\.label))
        }
        let (trainFeatures, trainLabels) = features(train)
        let (validationFeatures, validationLabels) = features(validation)
        log("bottleneck features: \(trainFeatures.shape.dropFirst().map(String.init).joined(separator: "x")) per image, \(train.count) train, \(validation.count) validation")
        let optimizer = RMSprop(learningRate: 1e-3)
        let perImage = trainFeatures.count / max(1, train.count)
        var rng = SeededRandom(seed: seed)
        var best: (loss: Float, tensors: [(name: String, tensor: Tensor)])? = nil
        for epoch in 1...headEpochs {
            var order = Array(0..<train.count)
            order.shuffle(using: &rng)
            for start in stride(from: 0, to: order.count, by: 64) {
                let batch = order[start..<min(start + 64, order.count)]
                var data: [Float] = []
                data.reserveCapacity(batch.count * perImage)
                for i in batch { data += trainFeatures.data[(i * perImage)..<((i + 1) * perImage)] }
                let input = Tensor(shape: [batch.count] + Array(trainFeatures.shape.dropFirst()), data: data)
                let (_, gradient) = softmaxCrossEntropy(logits: head.forward(input, training: true), labels: batch.map { trainLabels[$0] })
                head.zeroGradients()
                head.accumulateGradients(gradient)
                optimizer.step(head.parameters)
            }
            let logits = head.forward(validationFeatures, training: false)
            let loss = softmaxCrossEntropy(logits: logits, labels: validationLabels).loss
            let accuracy = validationLabels.indices.filter { (logits.data[$0 * 2 + 1] > logits.data[$0 * 2]) == (validationLabels[$0] == 1) }.count
            log(String(format: "top MLP epoch %d  val_loss %.4f  val_acc %.4f", epoch, loss, Float(accuracy) / Float(max(1, validation.count))))
            if loss < (best?.loss ?? .infinity) { best = (loss, head.namedTensors()) }
        }
        if let best { try head.load(Dictionary(uniqueKeysWithValues: best.tensors.map { ($0.name, $0.tensor) })) }
    }
}
