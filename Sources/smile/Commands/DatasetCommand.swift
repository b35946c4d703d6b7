import ArgumentParser
import SmileCommandLine

/// `smile dataset`: commands that build labelled sets.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build labelled sets for evaluation.",
        subcommands: [DatasetCompositeCommand.self]
    )
}
