import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile annotate`: annotated copies of photos and a faces table.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Draw a labelled box on every face in photos and write a faces table.",
        discussion: """
        Each photo is copied into --out with a box per face (green: smiling, orange: not) and \
        its p(smile); a tilted face (found with --angles) gets a box turned by its tilt. \
        Directories are searched recursively. Inputs are never overwritten. The faces table has \
        one row per face: image,face,x,y,w,h,p_smile,smiling,angle (angle: the tilt in degrees, \
        counter-clockwise positive; a photo with no face gets one row with the face columns \
        empty). Ctrl-C or SIGTERM stops after the \
        current photo, keeping every finished row; --resume continues from there. Without --out \
        no copies are drawn and the table goes to --csv, or to standard output (`--csv -` and \
        `--json -` name standard output too; progress and messages stay on standard error).

        Examples:
          smile annotate samples --out out --csv out/faces.csv
          smile annotate archive/ --out annotated --resume
          smile annotate photos/ | awk -F, '$8 == 1' | wc -l      # smiling faces, as a filter
          smile annotate /archive --out out/$K --shard $K/8        # one of 8 machines; then smile merge
        """
    )

    @Argument(help: ArgumentHelp("Photos or directories of photos.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("Directory for the annotated copies (none drawn without it).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Faces table as CSV, - for standard output (default: faces.csv in --out; without --out, standard output).", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write the faces table as JSON, - for standard output (written when the run ends).", valueName: "file"))
    var json: String?

    @Flag(help: "Mark each face's five landmarks (eyes, nose tip, mouth corners) on the annotated copies (--detector yunet).")
    var landmarks = false

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var sharding: ShardOption
    @OptionGroup var model: ModelOptions
    @OptionGroup var detection: DetectionOptions

    /// Where the CSV table goes: --csv, or standard output when it is -, or when there is neither it nor
    /// --out and the JSON table does not go there.
    var csvPath: String? { csv == "-" || (csv == nil && out == nil && json != "-") ? Self.standardOutput : csv }

    /// The path standard output is written through (a device, written in place).
    static let standardOutput = "/dev/stdout"

    func validate() throws {
        if runOptions.resume && (csvPath == Self.standardOutput || (csvPath == nil && out == nil)) {
            throw ValidationError("--resume continues a table in a file: give --csv FILE (or --out DIR)")
        }
        if csv == "-" && json == "-" { throw ValidationError("--csv - and --json - cannot both go to standard output") }
        if landmarks && out == nil { throw ValidationError("--landmarks draws on the annotated copies: give --out DIR") }
        if landmarks && detection.detector != .yunet { throw ValidationError("--landmarks needs --detector yunet (the Haar cascade finds no landmarks)") }
    }

    func run() throws {
        let console = RunConsole.standardError()
        var job = AnnotateJob(inputs: paths, outputDirectory: out.map { URL(fileURLWithPath: $0) },
                              csvFile: csvPath.map { URL(fileURLWithPath: $0) },
                              jsonFile: json.map { URL(fileURLWithPath: $0 == "-" ? Self.standardOutput : $0) },
                              resume: runOptions.resume, force: runOptions.force)
        job.drawLandmarks = landmarks
        job.shard = try sharding.parsed()
        let pipeline = try makePipeline(detection, model)
        let started = DispatchTime.now()
        let summary: AnnotateJob.Summary
        do { summary = try job.run(pipeline: pipeline, console: console, stop: StopRequest.onInterruptSignals()) } catch let error as OutputError {
            console.note("error: \(error)")
            throw ExitCode(1)
        } catch let error as ShardError {
            console.note("error: \(error)")
            throw ExitCode(1)
        }
        try exitIfStopped(summary.stoppedBy, done: summary.alreadyDone + summary.processed, console: console)
        runOptions.reportSkipped(summary.notPhotos, console: console)
        if summary.alreadyDone > 0 { console.note("\(summary.alreadyDone) photos were already done (--resume)") }
        console.note("\(summary.processed) photos, \(summary.faces) faces, \(summary.smiling) smiling; \(summary.failures.count) inputs failed")
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6 / Double(max(1, summary.processed))
        console.note(String(format: "time: %.1f ms per photo in all; ", wall) + pipeline.timings.perImageSummary(threadCPU: model.threads == 1) + "; the rest is decoding and writing")
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
