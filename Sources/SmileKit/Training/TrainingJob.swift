import Foundation
import SmileNN
import SmileVision

/// `smile train`: one recipe, from data folders to a model file with its provenance.
///
/// Every data set is split by a hash of its groups (see `DataSplit`): 70% train, 10% validation
/// (model selection), 20% test (reported only). CK+ is never trained on: it is the cross-domain
/// test. The final model is the checkpoint with the best validation loss.
public struct TrainingJob {
    public var recipe: TrainingRecipe
    /// The folder holding `genki4k/`, `smilesmiled/`, `muxspace/`, `ckplus48/` (the shared data layout).
    public var dataRoot: String
    /// Data sets to train on (their train sides), out of genki4k, smilesmiled, muxspace, fer2013, celeba.
    public var trainSets: [String]
    public var width: Double
    public var inputSide: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var optimizerName: String
    public var weightDecay: Float
    public var patience: Int
    public var augmentation: Augmentation
    public var framing: CropFraming
    public var split: DataSplit
    public var seed: UInt64
    public var threads: Int
    /// How many times each data set's train side is repeated per epoch (default 1), to weigh the target domain.
    public var repeats: [String: Int] = [:]
    /// Use at most this many images of each data set (for quick runs and tests); nil: all.
    public var limitPerSet: Int?
    /// Base model for `vgg19-transfer` (one of ours, or imported from Keras).
    public var baseModel: String?
    public var cascadePath: String
    public var outputDirectory: URL
    public var resume: Bool

    /// Stored crop side relative to the model input (room for augmentation).
    static let context = 1.25

    public init(recipe: TrainingRecipe, dataRoot: String, trainSets: [String], width: Double, inputSide: Int,
                epochs: Int? = nil, batchSize: Int? = nil, learningRate: Float? = nil, optimizerName: String? = nil,
                weightDecay: Float = 1e-4, patience: Int = 4, augmentation: Augmentation = .standard,
                framing: CropFraming = CropFraming(margin: 0), split: DataSplit = DataSplit(validation: 0.1, test: 0.2),
                seed: UInt64 = 42, threads: Int = 1, limitPerSet: Int? = nil, baseModel: String? = nil,
                cascadePath: String, outputDirectory: URL, resume: Bool = false) {
        let defaults = recipe.defaults
        self.recipe = recipe
        self.dataRoot = dataRoot
        self.trainSets = trainSets
        self.width = width
        self.inputSide = inputSide
        self.epochs = epochs ?? defaults.epochs
        self.batchSize = batchSize ?? defaults.batchSize
        self.learningRate = learningRate ?? defaults.learningRate
        self.optimizerName = optimizerName ?? defaults.optimizer
        self.weightDecay = weightDecay
        self.patience = patience
        self.augmentation = augmentation
        self.framing = framing
        self.split = split
        self.seed = seed
        self.threads = threads
        self.limitPerSet = limitPerSet
        self.baseModel = baseModel
        self.cascadePath = cascadePath
        self.outputDirectory = outputDirectory
        self.resume = resume
    }

    /// What a run produced.
    public struct Outcome {
        public var model: SmileModel
        public var modelFile: URL
        public var state: Trainer.State
        /// Test-side figures per data set (never seen by training or model selection).
        public var testMetrics: [String: BinaryMetrics]
        /// Test-side ROC AUC per data set (nil where a class is missing).
        public var testAUC: [String: Double]
    }

    /// Loads the labelled faces of data set `name` from the data root.
    func load(_ name: String, log: (String) -> Void = { _ in }) throws -> [LabelledFace] {
        let root = (dataRoot as NSString).appendingPathComponent(name)
        var faces: [LabelledFace]
        switch name {
        case "genki4k": faces = try DataSets.genki(root)
        case "smilesmiled": faces = try DataSets.smilesmiled(root)
        case "muxspace": faces = try DataSets.muxspace(root)
        case "ckplus48": faces = try DataSets.ckplus(root)
        case "fer2013":
            let (loaded, report) = try FER2013.load(root)
            faces = loaded
            log("fer2013: \(report.rows) rows, \(report.unlabelled) with mixed or missing votes left out, \(report.duplicates) duplicate files dropped by sha1, \(report.conflicting) faces whose copies disagree dropped")
        case "celeba":
            let subset = try CelebA.balancedSubset(root)
            faces = subset.train + subset.validation + subset.test
        default: throw TrainingError.noData("unknown data set '\(name)' (known: genki4k, smilesmiled, muxspace, fer2013, ckplus48, celeba)")
        }
        if let limitPerSet, faces.count > limitPerSet {
            let step = Double(faces.count) / Double(limitPerSet)
            faces = (0..<limitPerSet).map { faces[Int(Double($0) * step)] }
        }
        return faces
    }

    /// Runs the recipe; `log` receives one line per step and per epoch.
    public func run(log: @escaping (String) -> Void) throws -> Outcome {
        setThreadCount(threads)
        let makeDetector = { try FaceDetector(cascadePath: self.cascadePath) }
        let detector = try makeDetector()
        var sets: [String: [LabelledFace]] = [:]
        for name in Set(trainSets + ["ckplus48"]) {
            if name == "ckplus48" && !FileManager.default.fileExists(atPath: (dataRoot as NSString).appendingPathComponent(name)) { continue }
            sets[name] = try load(name, log: log)
            log("\(name): \(sets[name]!.count) images, \(sets[name]!.filter { $0.label == 1 }.count) smiling")
        }
        // Frame tight crops the way the detector frames whole heads.
        var tightBoxes: [String: RelativeBox] = [:]
        for (name, faces) in sets.sorted(by: { $0.key < $1.key }) where faces.first?.framing == .tightCrop {
            guard let measured = try TightCropFraming.measure(faces, detector: detector, sampleSize: min(400, faces.count)) else {
                throw TrainingError.noData("the detector found no face in any sampled crop of \(name)")
            }
            tightBoxes[name] = measured.box
            log("\(name): detector box in a tight crop \(measured.box) (found in \(measured.detected)/\(measured.sampled) padded crops, median IoU with the median box \(String(format: "%.2f", measured.medianAgreement)))")
        }
        func bank(_ faces: [LabelledFace], _ what: String) throws -> FaceCropBank {
            let side = Int((Double(inputSide) * Self.context).rounded())
            let (bank, report) = try FaceCropBank.build(faces, framing: framing, side: side, context: Self.context,
                                                        tightBoxes: tightBoxes, threads: max(2, threads), makeDetector: makeDetector)
            for failure in report.failures.prefix(5) { log("skipped \(failure)") }
            let undetected = report.undetected.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", ")
            log("\(what): \(bank.count) crops (\(report.failures.count) skipped\(undetected.isEmpty ? "" : "; framed by the median box, no face found: \(undetected)"))")
            return bank
        }
        let trainFaces = trainSets.flatMap { name in
            Array(repeating: split.select(sets[name] ?? [], .train), count: max(1, repeats[name] ?? 1)).flatMap { $0 }
        }
        let validationFaces = trainSets.flatMap { split.select(sets[$0] ?? [], .validation) }
        guard !trainFaces.isEmpty, !validationFaces.isEmpty else { throw TrainingError.noData("the train or validation side is empty") }
        let trainBank = try bank(trainFaces, "train")
        let validationBank = try bank(validationFaces, "validation")

        var (architecture, config) = recipe.network(width: width, inputSide: inputSide)
        var normalisation: (mean: Float, std: Float) = (128, 64)
        var base: TransferLearning.Base?
        if recipe == .vgg19Transfer {
            guard let baseModel else { throw TrainingError.noData("vgg19-transfer needs --base (a vgg19 model file or Keras's .h5 weights)") }
            let loaded = try TransferLearning.loadBase(baseModel)
            config.batchNorm = loaded.batchNorm
            config.widthMultiplier = loaded.width
            normalisation = (loaded.normalisationMean, loaded.normalisationStd)
            base = loaded
        }
        let metadata = ModelMetadata(architecture: architecture, network: config, normalisationMean: [normalisation.mean],
                                     normalisationStd: [normalisation.std], framing: framing, provenance: [:])
        let model = SmileModel(network: SmileModel.makeNetwork(for: metadata, seed: seed), metadata: metadata, source: "training")
        guard let optimizer = TrainingRecipe.optimizer(optimizerName, learningRate: learningRate, weightDecay: weightDecay) else {
            throw TrainingError.noData("unknown optimiser '\(optimizerName)' (sgd, rmsprop, adam)")
        }
        var frozenLayers = 0
        if let base, !(resume && FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent("state.json").path)) {
            try TransferLearning.prepare(model: model, base: base, train: trainBank, validation: validationBank, seed: seed, log: log)
        }
        if base != nil { frozenLayers = VGG19.blockStartIndex(5, in: model.network) }
        let settings = Trainer.Settings(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                                        schedule: .cosine(totalEpochs: epochs, minimum: learningRate / 50), patience: patience,
                                        balanceClasses: true, augmentation: augmentation, seed: seed, frozenLayers: frozenLayers)
        let trainer = Trainer(model: model, optimizer: optimizer, settings: settings, directory: outputDirectory)
        log("training \(recipe.rawValue): \(architecture) width \(width), input \(inputSide)x\(inputSide), \(model.network.parameters.reduce(0) { $0 + $1.value.count }) parameters, \(optimizerName) lr \(learningRate), batch \(batchSize), \(epochs) epochs, \(threads) thread(s)")
        let state = try trainer.fit(train: trainBank, validation: validationBank, resume: resume, log: log)

        // The model is the best-validation checkpoint; report it on every test side.
        let best = try SafeTensors.read(contentsOf: outputDirectory.appendingPathComponent("best.safetensors"))
        try model.network.load(best.tensors)
        let (testMetrics, testAUC) = try Self.testSides(model, sets: sets, split: split, tightBoxes: tightBoxes, bank: bank, log: log)
        var provenance: [String: String] = [
            "recipe": recipe.rawValue, "trained_on": trainSets.joined(separator: ","),
            "split": "by FNV-1a hash of group (file, person or subject): train \(Int((1 - split.validation - split.test) * 100))%, validation \(Int(split.validation * 100))%, test \(Int(split.test * 100))%; ckplus48 never trained on",
            "train_images": String(trainBank.count),
            "train_mix": Dictionary(grouping: trainBank.faces, by: \.dataset).sorted { $0.key < $1.key }.map { name, faces in
                "\(name) \(faces.count) (\(faces.filter { $0.label == 1 }.count) smiling)"
            }.joined(separator: ", "), "train_repeats": repeats.map { "\($0.key)x\($0.value)" }.sorted().joined(separator: ","), "validation_images": String(validationBank.count),
            "epochs_run": String(state.completedEpochs), "best_epoch": String(state.bestEpoch),
            "validation_loss": String(state.bestValidationLoss),
            "validation_accuracy": String(state.history.first { $0.epoch == state.bestEpoch }?.validationAccuracy ?? .nan),
            "optimizer": "\(optimizerName) lr \(learningRate) cosine, weight decay \(weightDecay), batch \(batchSize), balanced class weights",
            "augmentation": String(describing: augmentation), "seed": String(seed),
            "tight_crop_boxes": tightBoxes.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; "),
            "trained_at": ISO8601DateFormatter().string(from: Date()),
            "seconds_per_epoch": String(format: "%.0f", state.history.map(\.seconds).reduce(0, +) / Double(max(1, state.history.count))),
            "images_per_second": String(format: "%.0f", state.history.last?.imagesPerSecond ?? 0),
        ]
        if let limitPerSet { provenance["limit_per_set"] = String(limitPerSet) }
        if let baseModel { provenance["base_model"] = baseModel }
        for (name, metrics) in testMetrics {
            provenance["test_\(name)"] = metrics.summaryLine + ", AUC " + (testAUC[name].map { String(format: "%.4f", $0) } ?? "n/a")
        }
        var finalMetadata = metadata
        finalMetadata.provenance = provenance
        let finalModel = SmileModel(network: model.network, metadata: finalMetadata, source: "training")
        let modelFile = outputDirectory.appendingPathComponent("model.safetensors")
        try finalModel.save(to: modelFile)
        log("wrote \(modelFile.path)")
        return Outcome(model: finalModel, modelFile: modelFile, state: state, testMetrics: testMetrics, testAUC: testAUC)
    }
}

extension TrainingJob {
    /// Scores `model` on every data set's test side (CK+ whole: it is never trained on), logging a line each.
    static func testSides(_ model: SmileModel, sets: [String: [LabelledFace]], split: DataSplit, tightBoxes: [String: RelativeBox],
                          bank: ([LabelledFace], String) throws -> FaceCropBank,
                          log: (String) -> Void) throws -> (metrics: [String: BinaryMetrics], auc: [String: Double]) {
        var testMetrics: [String: BinaryMetrics] = [:], testAUC: [String: Double] = [:]
        for name in sets.keys.sorted() {
            let faces = name == "ckplus48" ? sets[name]! : split.select(sets[name]!, .test)
            guard !faces.isEmpty else { continue }
            let testBank = try bank(faces, "\(name) test")
            let p = Evaluator.probabilities(model, bank: testBank)
            let samples = zip(testBank.faces, p).map { ScoredLabel(label: $0.label, probability: Double($1)) }
            let metrics = BinaryMetrics(samples: samples, threshold: Double(model.metadata.threshold))
            testMetrics[name] = metrics
            testAUC[name] = ROCCurve(samples: samples).auc
            let interval = WilsonInterval.interval(successes: metrics.confusion.truePositives + metrics.confusion.trueNegatives,
                                                   trials: metrics.confusion.total)
            log("test \(name): \(metrics.summaryLine), AUC \(testAUC[name].map { String(format: "%.4f", $0) } ?? "n/a")"
                + (interval.map { String(format: ", accuracy 95%% CI [%.4f, %.4f]", $0.lower, $0.upper) } ?? ""))
        }
        return (testMetrics, testAUC)
    }

    /// Scores an existing model on the test sides of `sets` (and CK+), framed as training frames its
    /// crops (`smile model test`): the same split and tight-crop boxes as a training run's report.
    public static func testExisting(_ model: SmileModel, dataRoot: String, sets: [String], cascadePath: String,
                                    log: @escaping (String) -> Void) throws -> [String: BinaryMetrics] {
        let framed = try framedSets(for: model, dataRoot: dataRoot, sets: Set(sets + ["ckplus48"]), cascadePath: cascadePath)
        return try testSides(model, sets: framed.sets, split: framed.split, tightBoxes: framed.tightBoxes,
                             bank: { faces, _ in try framed.bank(faces) }, log: log).metrics
    }

    /// Crops for calibrating `model`'s int8 path (`Int8Calibration`): `count` faces from the train
    /// sides of `sets`, as many from each, drawn by `seed`, framed as training frames them.
    public static func calibrationCrops(for model: SmileModel, dataRoot: String, sets: [String], count: Int, seed: UInt64,
                                        cascadePath: String) throws -> FaceCropBank {
        let framed = try framedSets(for: model, dataRoot: dataRoot, sets: Set(sets), cascadePath: cascadePath)
        var rng = SeededRandom(seed: seed)
        let names = framed.sets.keys.sorted()
        var chosen: [LabelledFace] = []
        for name in names {
            var train = framed.split.select(framed.sets[name]!, .train)
            train.shuffle(using: &rng)
            chosen += train.prefix(count / max(names.count, 1))
        }
        return try framed.bank(chosen)
    }

    /// The data sets `names` found under `dataRoot`, the split, the tight-crop boxes measured on
    /// them, and a crop maker framed as `model` was trained.
    static func framedSets(for model: SmileModel, dataRoot: String, sets names: Set<String>, cascadePath: String) throws
        -> (sets: [String: [LabelledFace]], split: DataSplit, tightBoxes: [String: RelativeBox], bank: ([LabelledFace]) throws -> FaceCropBank) {
        let (_, side, _) = model.metadata.inputShape
        var job = TrainingJob(recipe: .vgg19, dataRoot: dataRoot, trainSets: Array(names), width: 1, inputSide: side,
                              framing: model.metadata.framing, cascadePath: cascadePath, outputDirectory: URL(fileURLWithPath: "/dev/null"))
        job.threads = 1
        let makeDetector = { try FaceDetector(cascadePath: cascadePath) }
        let detector = try makeDetector()
        var loaded: [String: [LabelledFace]] = [:]
        for name in names where FileManager.default.fileExists(atPath: (dataRoot as NSString).appendingPathComponent(name)) {
            loaded[name] = try job.load(name)
        }
        var tightBoxes: [String: RelativeBox] = [:]
        for (name, faces) in loaded.sorted(by: { $0.key < $1.key }) where faces.first?.framing == .tightCrop {
            if let measured = try TightCropFraming.measure(faces, detector: detector, sampleSize: min(400, faces.count)) { tightBoxes[name] = measured.box }
        }
        let boxes = tightBoxes
        let bank = { (faces: [LabelledFace]) throws -> FaceCropBank in
            let stored = Int((Double(side) * context).rounded())
            return try FaceCropBank.build(faces, framing: model.metadata.framing, side: stored, context: context,
                                          tightBoxes: boxes, threads: 2, makeDetector: makeDetector).0
        }
        return (loaded, job.split, tightBoxes, bank)
    }
}

extension BinaryMetrics {
    /// "n 600, accuracy 0.931, precision 0.94, recall 0.93, F1 0.935" (n/a where undefined).
    public var summaryLine: String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        return "n \(confusion.total), accuracy \(f(accuracy)), precision \(f(precision)), recall \(f(recall)), F1 \(f(f1))"
    }
}
