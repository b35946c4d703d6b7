import ArgumentParser

/// `smile bench`: performance measurements (one subcommand per part of the pipeline).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast parts of smile run.",
        subcommands: [BenchNNCommand.self, BenchDetectCommand.self, BenchPhotosCommand.self]
    )
}
