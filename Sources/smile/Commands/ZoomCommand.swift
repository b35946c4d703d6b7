import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile zoom`: the smallest face that still gets the full-size verdict, with and without detection.
struct ZoomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoom",
        abstract: "Shrink a face photo step by step and see when the smile verdict changes.",
        discussion: """
        The photo is shrunk (geometric steps from 100% down to --smallest) into the centre of \
        a canvas of its own size filled with the photo's mean colour. At each step p(smile) is \
        measured without detection (whole canvas resized to the model input) and with detection \
        (the detected face that matches where the face should be, IoU >= 0.5). The answer is \
        the smallest face side, in photo pixels (and, without detection, at the model's input \
        scale), down to which every step gives the same verdict as full size. The photo must \
        show a face the detector finds at full size.

        Example:
          smile zoom samples/astronaut.jpg --csv zoom.csv --report zoom-report
        """
    )

    @Argument(help: ArgumentHelp("A photo of one face.", valueName: "photo"))
    var photo: String

    @Option(help: ArgumentHelp("Steps as CSV: step,scale,canvas_w,canvas_h,face_px,face_px_at_input,p_without_detection,...", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Directory for report.html with the zoom chart.", valueName: "dir"))
    var report: String?

    @Option(help: "Number of steps, 100% included.")
    var steps: Int = 14

    @Option(help: ArgumentHelp("The smallest scale (fraction of the original size).", valueName: "fraction"))
    var smallest: Double = 0.04

    @OptionGroup var model: ModelOptions
    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        guard steps >= 2 else { throw ValidationError("--steps must be >= 2") }
        guard smallest > 0, smallest < 1 else { throw ValidationError("--smallest must be between 0 and 1") }
    }

    func run() throws {
        let console = RunConsole.standardError()
        let pipeline = try makePipeline(detection, model)
        let image: Image
        do { image = try ImageCodec.decode(file: photo) } catch {
            console.failed(InputFailure(path: photo, reason: (error as? VisionError)?.message ?? "\(error)"))
            throw ExitCode(1)
        }
        let result = try ZoomStudy(steps: steps, smallestScale: smallest).run(photo: image, pipeline: pipeline)
        print(result.csv, terminator: "")
        print("")
        print(result.answer, terminator: "")
        if let csv { try writeAtomically(Data(result.csv.utf8), to: URL(fileURLWithPath: csv)) }
        if let report {
            let url = URL(fileURLWithPath: report).appendingPathComponent("report.html")
            try EvaluationReport.write(EvaluationReport.Input(
                title: "Zoom study: \((photo as NSString).lastPathComponent)", run: runInfo(pipeline.model),
                modes: [], zoom: result.reportStudy, notes: result.answer.split(separator: "\n").map(String.init)), to: url)
            console.note("report: \(url.path)")
        }
    }
}
