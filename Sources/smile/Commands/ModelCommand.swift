import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile model`: commands about model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model files, score them on the data sets' held-out sides, calibrate them for int8.",
        subcommands: [ModelInfoCommand.self, ModelTestCommand.self, ModelNoteCommand.self, ModelCalibrateCommand.self]
    )
}

/// `smile model info`: what a model file is and how it was trained.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what a model file is and how it was trained.",
        discussion: """
        Example:
          smile model info models/smile-default.safetensors
        """
    )

    @Argument(help: ArgumentHelp("Model file (default: the shipped model).", valueName: "file"))
    var file: String?

    func run() throws {
        let model = try SmileModel.load(contentsOf: try DefaultModel.locate(explicit: file))
        print(ModelDescription.text(model), terminator: "")
    }
}

/// `smile model test`: a model on every data set's held-out test side, as training reports its own.
struct ModelTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Score a model on the held-out test side of each data set (and all of CK+).",
        discussion: """
        The same split (by a hash of each face's file, person or subject) and the same crops as \
        `smile train` uses, so any model, the shipped one included, is compared on the faces no \
        training run here ever saw. One line per set: accuracy, precision, recall, F1 and ROC AUC \
        at the model's threshold, with the accuracy's 95% Wilson interval.

        Example:
          smile model test --data ../shared/data
          smile model test runs/vgg19/model.safetensors --data ../shared/data --sets genki4k,fer2013
        """
    )

    @Argument(help: ArgumentHelp("Model file (default: the shipped model).", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp("Folder with the data sets (default: $SMILE_DATA).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Comma-separated data sets whose test sides to score (CK+ is always scored whole when present).", valueName: "sets"))
    var sets: String = "genki4k,smilesmiled,muxspace,fer2013"

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        guard let dataRoot = data ?? ProcessInfo.processInfo.environment["SMILE_DATA"] else {
            throw ValidationError("give --data DIR (or set SMILE_DATA) with the data set folders")
        }
        var options = modelOptions
        options.model = file ?? modelOptions.model
        let model = try options.loadModel()
        print("model: \(model.source) (convolutions in \(model.precision.rawValue)\(model.mirrorAveraging ? ", mirror averaged" : ""))")
        _ = try TrainingJob.testExisting(model, dataRoot: dataRoot, sets: sets.split(separator: ",").map(String.init),
                                         cascadePath: try CascadeLocator.locate(CascadeLocator.frontalFace)) { line in
            if line.hasPrefix("test ") { print(line) }
            fflush(stdout)
        }
    }
}

/// `smile model note`: adds provenance lines to a model file's metadata (figures measured after training).
struct ModelNoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add or replace provenance lines in a model file's metadata (the weights are not touched).",
        discussion: """
        For what training itself cannot know: the exact command, figures measured on other sets \
        afterwards (`smile eval`), where the data came from. Keys the training wrote can be replaced \
        only with --replace. The file is rewritten through a temporary file and a rename.

        Example:
          smile model note runs/vgg19/model.safetensors --set "test_wild=0.938 of 81 faces (smile eval --side test)"
        """
    )

    @Argument(help: ArgumentHelp("Model file to annotate.", valueName: "file"))
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp("A provenance line, key=value (repeatable).", valueName: "key=value"))
    var lines: [String] = []

    @Flag(help: "Allow replacing keys the file already has.")
    var replace = false

    func run() throws {
        let model = try SmileModel.load(contentsOf: URL(fileURLWithPath: file))
        var metadata = model.metadata
        for line in lines {
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw ValidationError("--set wants key=value, got '\(line)'")
            }
            let key = String(line[..<equals]), value = String(line[line.index(after: equals)...])
            if metadata.provenance[key] != nil && !replace {
                throw ValidationError("\(file) already has '\(key)'; pass --replace to change it")
            }
            metadata.provenance[key] = value
        }
        try SmileModel(network: model.network, metadata: metadata, source: model.source).save(to: URL(fileURLWithPath: file))
        print("\(file): \(lines.count) provenance line(s) set")
    }
}

/// `smile model calibrate`: measures the input scales of the int8 path on training crops.
struct ModelCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate a model for --precision int8 on crops of the data sets' train sides.",
        discussion: """
        Each convolution's inputs over the crops are sampled channel by channel, and a channel's \
        --percentile-th value becomes its input maximum, which the 7-bit input code maps to 127 \
        (see `--precision`). The crops come from the train sides of --sets, as many from each, drawn \
        by --seed and framed as training frames them, so the same options give the same file. \
        Layers whose inputs can be negative (the first) stay in float. The weights are not \
        touched; the maxima go into the file's metadata, the command into its provenance.

        Example:
          smile model calibrate models/smile-default.safetensors --data ../shared/data --out calibrated.safetensors
        """
    )

    @Argument(help: ArgumentHelp("Model file (default: the shipped model).", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp("Folder with the data sets (default: $SMILE_DATA).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Comma-separated data sets whose train sides give the crops.", valueName: "sets"))
    var sets: String = "genki4k,smilesmiled,muxspace,fer2013"

    @Option(help: ArgumentHelp("Crops in all.", valueName: "n"))
    var crops: Int = 2000

    @Option(help: ArgumentHelp("Seed drawing the crops.", valueName: "seed"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Percentile of each layer's inputs taken as its maximum (100: the largest).", valueName: "p"))
    var percentile: Double = 99.99

    @Option(help: ArgumentHelp("The calibrated model file to write (may be the input file).", valueName: "file"))
    var out: String

    func validate() throws {
        guard crops > 0 else { throw ValidationError("--crops must be at least 1") }
        guard percentile > 50 && percentile <= 100 else { throw ValidationError("--percentile must be in (50, 100]") }
    }

    func run() throws {
        guard let dataRoot = data ?? ProcessInfo.processInfo.environment["SMILE_DATA"] else {
            throw ValidationError("give --data DIR (or set SMILE_DATA) with the data set folders")
        }
        let url = try DefaultModel.locate(explicit: file)
        let model = try SmileModel.load(contentsOf: url)
        let setNames = sets.split(separator: ",").map(String.init)
        let bank = try TrainingJob.calibrationCrops(for: model, dataRoot: dataRoot, sets: setNames, count: crops, seed: seed,
                                                    cascadePath: try CascadeLocator.locate(CascadeLocator.frontalFace))
        let result = Int8Calibration.calibrate(model, bank: bank, percentile: percentile)
        for (name, maxima) in result.maxima.sorted(by: { $0.key < $1.key }) {
            print(String(format: "%@: input maxima %.3f to %.3f over %d channels", name, maxima.min() ?? 0, maxima.max() ?? 0, maxima.count))
        }
        if !result.floatLayers.isEmpty { print("in float (negative inputs): \(result.floatLayers.joined(separator: ", "))") }
        let note = "\(bank.count) crops of the train sides of \(setNames.joined(separator: ", ")) (seed \(seed)), "
            + "\(percentile)th percentile of each layer's inputs: smile model calibrate --crops \(crops) --seed \(seed) --percentile \(percentile)"
        try model.calibratedForInt8(result.maxima, note: note).save(to: URL(fileURLWithPath: out))
        print("wrote \(out)")
    }
}
