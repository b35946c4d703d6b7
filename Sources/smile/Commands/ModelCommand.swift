import ArgumentParser
import Foundation
import SmileKit

/// `smile model`: commands about model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model files.",
        subcommands: [ModelInfoCommand.self]
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
