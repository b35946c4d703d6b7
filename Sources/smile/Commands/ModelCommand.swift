import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile model`: commands about model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model files and score them on the data sets' held-out sides.",
        subcommands: [ModelInfoCommand.self, ModelTestCommand.self, ModelNoteCommand.self]
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
