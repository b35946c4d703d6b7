import Foundation
import SmileNN

/// Trains a network on a crop bank: shuffled, augmented batches, validation after every epoch,
/// the best-validation-loss checkpoint kept, early stopping, and resuming after a kill.
public final class Trainer {
    /// What to train and how.
    public struct Settings: Sendable {
        public var epochs: Int
        public var batchSize: Int
        public var learningRate: Float
        public var schedule: LearningRateSchedule
        /// Stop after this many epochs without a better validation loss (0: never).
        public var patience: Int
        /// Weigh the classes inversely to their frequency (SMILEsmileD is 28% smiles).
        public var balanceClasses: Bool
        public var augmentation: Augmentation
        public var seed: UInt64
        /// Leading layers that stay fixed: run in inference mode and not back-propagated through.
        public var frozenLayers: Int

        public init(epochs: Int, batchSize: Int, learningRate: Float, schedule: LearningRateSchedule, patience: Int,
                    balanceClasses: Bool, augmentation: Augmentation, seed: UInt64, frozenLayers: Int = 0) {
            self.frozenLayers = frozenLayers
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.schedule = schedule
            self.patience = patience
            self.balanceClasses = balanceClasses
            self.augmentation = augmentation
            self.seed = seed
        }
    }

    /// Progress saved beside the checkpoints so a killed run can resume.
    public struct State: Codable {
        public var completedEpochs: Int
        public var bestValidationLoss: Float
        public var bestEpoch: Int
        public var history: [EpochRecord]
    }

    public let model: SmileModel
    public let optimizer: Optimizer
    public let settings: Settings
    /// Directory for `best.safetensors`, `last.safetensors`, `state.json`, `curves.csv`, `curves.svg`, `summary.html`.
    public let directory: URL

    public init(model: SmileModel, optimizer: Optimizer, settings: Settings, directory: URL) {
        self.model = model
        self.optimizer = optimizer
        self.settings = settings
        self.directory = directory
    }

    private var bestURL: URL { directory.appendingPathComponent("best.safetensors") }
    private var lastURL: URL { directory.appendingPathComponent("last.safetensors") }
    private var stateURL: URL { directory.appendingPathComponent("state.json") }

    /// Trains until the epochs run out or validation stops improving; returns the history.
    ///
    /// With `resume`, a run killed earlier continues after its last completed epoch (weights
    /// from `last.safetensors`; optimiser moments start afresh).
    public func fit(train: FaceCropBank, validation: FaceCropBank, resume: Bool, log: (String) -> Void) throws -> State {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var state = State(completedEpochs: 0, bestValidationLoss: .infinity, bestEpoch: 0, history: [])
        if resume, let data = try? Data(contentsOf: stateURL), let saved = try? JSONDecoder().decode(State.self, from: data) {
            let last = try SafeTensors.read(contentsOf: lastURL)
            try model.network.load(last.tensors)
            state = saved
            log("resuming after epoch \(state.completedEpochs) (best val_loss \(state.bestValidationLoss) at epoch \(state.bestEpoch))")
        }
        let (_, side, _) = model.metadata.inputShape
        let loader = BatchLoader(bank: train, augmentation: settings.augmentation, inputSide: side,
                                 mean: model.metadata.normalisationMean[0], std: model.metadata.normalisationStd[0])
        let labels = train.faces.map(\.label)
        let positives = labels.filter { $0 == 1 }.count
        let weights: [Float]? = settings.balanceClasses && positives > 0 && positives < labels.count
            ? [Float(labels.count) / Float(2 * (labels.count - positives)), Float(labels.count) / Float(2 * positives)] : nil
        let layers = model.network.layers
        let frozen = Sequential(Array(layers[..<settings.frozenLayers]))
        let trained = Sequential(Array(layers[settings.frozenLayers...]))
        let parameters = trained.parameters
        while state.completedEpochs < settings.epochs {
            let epoch = state.completedEpochs + 1
            let started = Date()
            optimizer.learningRate = settings.schedule.rate(base: settings.learningRate, epoch: epoch - 1)
            var rng = SeededRandom(seed: settings.seed &+ UInt64(epoch) &* 7919)
            var order = Array(0..<train.count)
            order.shuffle(using: &rng)
            var lossSum: Double = 0, correct = 0
            try loader.forEachBatch(of: order, batchSize: settings.batchSize, seed: settings.seed &+ UInt64(epoch)) { _, input, batchLabels in
                let features = settings.frozenLayers > 0 ? frozen.forward(input, training: false) : input
                let logits = trained.forward(features, training: true)
                let (loss, gradient) = softmaxCrossEntropy(logits: logits, labels: batchLabels, classWeights: weights)
                guard loss.isFinite else { throw TrainingError.diverged(epoch: epoch) }
                trained.zeroGradients()
                trained.accumulateGradients(gradient)
                optimizer.step(parameters)
                lossSum += Double(loss) * Double(batchLabels.count)
                for (n, label) in batchLabels.enumerated() where (logits.data[n * 2 + 1] > logits.data[n * 2]) == (label == 1) { correct += 1 }
            }
            let trainSeconds = Date().timeIntervalSince(started)
            let (validationLoss, validationAccuracy) = Evaluator.lossAndAccuracy(model, bank: validation, classWeights: weights)
            let record = EpochRecord(epoch: epoch, learningRate: optimizer.learningRate, loss: Float(lossSum / Double(train.count)),
                                     accuracy: Float(correct) / Float(train.count), validationLoss: validationLoss,
                                     validationAccuracy: validationAccuracy, imagesPerSecond: Double(train.count) / trainSeconds,
                                     seconds: Date().timeIntervalSince(started))
            log(record.line)
            state.history.append(record)
            state.completedEpochs = epoch
            if validationLoss < state.bestValidationLoss {
                state.bestValidationLoss = validationLoss
                state.bestEpoch = epoch
                try model.save(to: bestURL)
            }
            try model.save(to: lastURL)
            try writeAtomically(try JSONEncoder().encode(state), to: stateURL)
            try writeAtomically(Data((EpochRecord.csvHeader + state.history.map(\.csvRow).joined()).utf8),
                                to: directory.appendingPathComponent("curves.csv"))
            try writeAtomically(Data(CurvePlot.svg(state.history).utf8), to: directory.appendingPathComponent("curves.svg"))
            let details = [("network", "\(model.metadata.architecture), width \(model.metadata.network.widthMultiplier), input \(model.metadata.network.inputWidth)x\(model.metadata.network.inputHeight)x\(model.metadata.network.inputChannels)"),
                           ("epochs", "\(state.completedEpochs) of \(settings.epochs), batch \(settings.batchSize), learning rate \(settings.learningRate)"),
                           ("best", "epoch \(state.bestEpoch), validation loss \(String(format: "%.4f", state.bestValidationLoss))")]
            try writeAtomically(Data(CurvePlot.html(state.history, title: "Training run \(directory.lastPathComponent)", details: details).utf8),
                                to: directory.appendingPathComponent("summary.html"))
            if settings.patience > 0, epoch - state.bestEpoch >= settings.patience {
                log("stopping early: no better val_loss for \(settings.patience) epochs (best at epoch \(state.bestEpoch))")
                break
            }
        }
        return state
    }
}

/// Training that cannot go on.
public enum TrainingError: Error, CustomStringConvertible {
    case diverged(epoch: Int)
    case noData(String)

    public var description: String {
        switch self {
        case .diverged(let epoch): return "training diverged in epoch \(epoch) (loss is not finite); lower the learning rate"
        case .noData(let what): return "no training data: \(what)"
        }
    }
}
