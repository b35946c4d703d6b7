import ArgumentParser
import SmileKit

/// Options of the long-running commands: continuing a stopped run and overriding the output check.
public struct RunOptions: ParsableArguments {
    public init() {}

    @Flag(help: "Continue a stopped run: inputs already in the CSV are skipped and new rows appended.")
    public var resume = false

    @Flag(help: "Allow the output directory to be an input directory or inside one.")
    public var force = false

    @Flag(help: "List the files of input directories that were skipped as not photos (by default only counted).")
    public var verbose = false

    /// Says how many files were skipped as not photos, listing them with --verbose.
    public func reportSkipped(_ files: [String], console: RunConsole) {
        guard !files.isEmpty else { return }
        if verbose {
            for file in files { console.note("skipped (not a photo by its extension): \(file)") }
        }
        console.note("\(files.count) file\(files.count == 1 ? "" : "s") skipped as not photos\(verbose ? "" : " (--verbose lists them)")")
    }
}

/// Ends a run that a signal stopped: says what was kept, and exits 130 (SIGINT) or 143 (SIGTERM).
public func exitIfStopped(_ signal: Int32?, done: Int, console: RunConsole) throws {
    guard let signal else { return }
    console.note("stopped by \(StopRequest.name(of: signal)) after \(done) inputs; completed rows are kept, rerun with --resume to continue")
    throw ExitCode(StopRequest.exitStatus(for: signal))
}
