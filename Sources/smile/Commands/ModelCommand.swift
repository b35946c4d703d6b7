import ArgumentParser
import Foundation
import SmileKit
import SmileVision

/// `smile model`: commands about model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model files and score them on the data sets' held-out sides.",
        subcommands: [ModelInfoCommand.self, ModelTestCommand.self]
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
