import ArgumentParser

/// `smile bench`: performance measurements; a temporary group holding only `bench detect`.
///
/// To be merged into `BenchCommand` (which adds `bench nn`): move `BenchDetectCommand.self` into its
/// subcommands, register `BenchCommand` in `Smile.swift` instead, and delete this file.
struct BenchGroupTemporary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast parts of smile run.",
        subcommands: [BenchDetectCommand.self]
    )
}
