import ArgumentParser
import SmileCommandLine
import SmileKit

/// `smile-bench`: how fast parts of smile run, kept apart from the tool users run.
@main
struct SmileBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smile-bench",
        abstract: "Measure how fast parts of smile run: the network, the face search, whole photos.",
        discussion: """
        Each figure comes with the machine it ran on. bench/run-benchmarks.sh runs the set that \
        docs/performance.md reports.

        Examples:
          smile-bench nn --widths 0.125 --batches 1,8 --threads 1
          smile-bench detect --image samples/astronaut.jpg --compare-opencv
          smile-bench photos ../shared/data/realworld/groups --compare-full
        """,
        subcommands: [BenchNNCommand.self, BenchDetectCommand.self, BenchPhotosCommand.self]
    )

    /// Runs the command line, with freed photo buffers kept for the next photo, as `smile` does.
    static func main() {
        ProcessMemory.keepFreedBuffers()
        main(nil)
    }
}
