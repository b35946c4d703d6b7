import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile train`: the study's recipes, reproducible from the command line.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a smile classifier with one of the study's recipes.",
        discussion: """
        Recipes: benchmark (the study's small CNN, RMSprop), vgg19 (VGG-19 with batch-norm from \
        scratch, Adam), vgg19-transfer (bottleneck features of --base, a top MLP, then block 5 \
        fine-tuned with SGD). Each data set is split by a hash of its file, person or subject \
        into 70% train, 10% validation and 20% test; CK+ is only ever tested on. The output \
        directory gets best.safetensors (best validation loss), last.safetensors, state.json \
        (for --resume), curves.csv, curves.svg and summary.html (loss and accuracy by \
        epoch, with axes) and the final model.safetensors with its provenance.

        Examples:
          smile train --recipe benchmark --data ../shared/data --out runs/benchmark
          smile train --recipe vgg19 --width 0.125 --data ../shared/data --out runs/vgg19
          smile train --recipe vgg19-transfer --base runs/vgg19/model.safetensors --data ../shared/data --out runs/transfer
        """
    )

    @Option(help: ArgumentHelp("benchmark, vgg19 or vgg19-transfer.", valueName: "recipe"))
    var recipe: TrainingRecipe

    @Option(help: ArgumentHelp("Folder with genki4k/, smilesmiled/, muxspace/, fer2013/, ckplus48/ (default: $SMILE_DATA).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Comma-separated data sets to train on: genki4k, smilesmiled, muxspace, fer2013.", valueName: "sets"))
    var sets: String = "genki4k,smilesmiled,muxspace"

    @Option(help: ArgumentHelp("Repeat a data set's train side per epoch, e.g. genki4k:2 (comma-separated).", valueName: "set:n"))
    var repeatSet: String?

    @Option(help: ArgumentHelp("Directory for checkpoints, curves and the final model.", valueName: "dir"))
    var out: String

    @Option(help: "VGG-19 width multiplier (1: 64-128-256-512-512 channels; the shipped model's 0.125: 8-16-32-64-64).")
    var width: Double = 0.125

    @Option(help: ArgumentHelp("Input side in pixels (square crops).", valueName: "px"))
    var inputSize: Int = 64

    @Option(help: "Epochs (default: the recipe's).")
    var epochs: Int?

    @Option(help: "Batch size (default: the recipe's).")
    var batchSize: Int?

    @Option(help: ArgumentHelp("Learning rate (default: the recipe's).", valueName: "lr"))
    var learningRate: Float?

    @Option(help: ArgumentHelp("sgd, rmsprop or adam (default: the recipe's).", valueName: "name"))
    var optimizer: String?

    @Option(help: "Weight decay.")
    var weightDecay: Float = 1e-4

    @Option(help: "Stop after this many epochs without a better validation loss (0: never).")
    var patience: Int = 4

    @Option(help: ArgumentHelp("Augmentation: standard (shift, zoom, flip, rotation, lighting), real-photo (standard plus low resolution, blur, JPEG, noise, gamma and occlusion), study (shift 0.2, zoom 0.2, flip) or none.", valueName: "name"))
    var augmentation: String = "standard"

    @Option(help: ArgumentHelp("Crop margin around the detector box, as a fraction of its side.", valueName: "fraction"))
    var margin: Double = 0

    @Option(help: ArgumentHelp("Base for vgg19-transfer: a vgg19 .safetensors model or Keras's vgg19 ..._notop.h5.", valueName: "file"))
    var base: String?

    @Option(help: "Use at most this many images of each data set (quick runs).")
    var limit: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Compute threads (OpenBLAS).")
    var threads: Int = 1

    @Option(help: ArgumentHelp("Haar cascade XML file used to frame the training faces.", valueName: "file"))
    var cascade: String?

    @Flag(help: "Continue a run that was stopped, after its last completed epoch.")
    var resume = false

    func validate() throws {
        guard width > 0, width <= 2 else { throw ValidationError("--width must be in (0, 2]") }
        guard inputSize >= 32, inputSize <= 256 else { throw ValidationError("--input-size must be in 32...256") }
        guard Augmentation.named[augmentation] != nil else { throw ValidationError("--augmentation must be standard, real-photo, study or none") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        guard let dataRoot = data ?? ProcessInfo.processInfo.environment["SMILE_DATA"] else {
            throw ValidationError("give --data DIR (or set SMILE_DATA) with the training data folders")
        }
        var job = TrainingJob(recipe: recipe, dataRoot: dataRoot, trainSets: sets.split(separator: ",").map(String.init),
                              width: width, inputSide: inputSize, epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                              optimizerName: optimizer, weightDecay: weightDecay, patience: patience,
                              augmentation: Augmentation.named[augmentation]!, framing: CropFraming(margin: margin), seed: seed,
                              threads: threads, limitPerSet: limit, baseModel: base,
                              cascadePath: try CascadeLocator.locate(CascadeLocator.frontalFace, explicit: cascade),
                              outputDirectory: URL(fileURLWithPath: out), resume: resume)
        for item in (repeatSet ?? "").split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let times = Int(parts[1]), times >= 1 else { throw ValidationError("--repeat-set wants set:n, got '\(item)'") }
            job.repeats[String(parts[0])] = times
        }
        let started = Date()
        let outcome = try job.run { line in
            print(line)
            fflush(stdout)
        }
        print(String(format: "done in %.0f s: %@", Date().timeIntervalSince(started), outcome.modelFile.path))
    }
}

extension TrainingRecipe: ExpressibleByArgument {}
