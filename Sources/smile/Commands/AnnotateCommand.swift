import ArgumentParser
import Foundation
import SmileKit

/// `smile annotate`: annotated copies of photos and a faces table.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Draw a labelled box on every face in photos and write a faces table.",
        discussion: """
        Each photo is copied into --out with a box per face (green: smiling, orange: not) and \
        its p(smile). Directories are searched recursively. Inputs are never overwritten. The \
        faces table has one row per face: image,face,x,y,w,h,p_smile,smiling.

        Example:
          smile annotate samples --out out --csv out/faces.csv
        """
    )

    @Argument(help: ArgumentHelp("Photos or directories of photos.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("Directory for the annotated copies.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Faces table as CSV (default: faces.csv in --out).", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write the faces table as JSON.", valueName: "file"))
    var json: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var detection: DetectionOptions

    func run() throws {
        let console = RunConsole.standardError()
        let job = AnnotateJob(inputs: paths, outputDirectory: URL(fileURLWithPath: out),
                              csvFile: csv.map { URL(fileURLWithPath: $0) }, jsonFile: json.map { URL(fileURLWithPath: $0) })
        let pipeline = try makePipeline(detection, model)
        let started = DispatchTime.now()
        let summary = try job.run(pipeline: pipeline, console: console)
        console.note("\(summary.processed) photos, \(summary.faces) faces, \(summary.smiling) smiling; \(summary.failures.count) inputs failed")
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6 / Double(max(1, summary.processed))
        console.note(String(format: "time: %.1f ms per photo in all; ", wall) + pipeline.timings.perImageSummary + "; the rest is decoding and writing")
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
