import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile eval-detection`: face-detector recall and precision against ground-truth boxes.
struct EvalDetectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-detection",
        abstract: "Measure face-detection recall and precision against face boxes, by face size.",
        discussion: """
        Ground truth comes from dlib imglab XML files (<image file=...><box top left width \
        height/>, boxes with ignore='1' skipped) or per-face CSVs (path,x,y,w,h,label; the \
        label is ignored). A detection counts when its IoU with a box is >= 0.5 (one-to-one, \
        highest IoU first). Faces are bucketed by the larger side of the true box (< 32, \
        32-64, 64-128, >= 128 px); false detections by their own size. Also prints the mean \
        detection time per photo. Exit status is 0 only when every input was read.

        Example:
          smile eval-detection voc_boxes/training.xml voc_boxes/testing.xml --report det-report
        """
    )

    @Argument(help: ArgumentHelp("dlib XML files or path,x,y,w,h,label CSV files.", valueName: "xml-or-csv"))
    var inputs: [String]

    @Option(help: ArgumentHelp("Directory for report.html.", valueName: "dir"))
    var report: String?

    @OptionGroup var detection: DetectionOptions

    func run() throws {
        let console = RunConsole.standardError()
        var results: [(kind: FaceDetector.Kind, result: DetectionEvaluationJob.Result)] = []
        for kind in detection.detectors.kinds {
            results.append((kind, DetectionEvaluationJob(inputs: inputs).run(detector: try detection.makeDetector(kind: kind), console: console)))
        }
        // A table of zeros would only hide the errors above it: nothing was measured.
        guard let first = results.first?.result, first.statistics.images > 0 else {
            console.note("no photo with face boxes could be read from \(inputs.joined(separator: ", ")): nothing to measure")
            throw ExitCode(1)
        }
        for (index, (kind, result)) in results.enumerated() {
            if results.count > 1 { print("\(index > 0 ? "\n" : "")== detector: \(kind.rawValue)") }
            print(EvaluationText.detectionTable(result.statistics), terminator: "")
            if let s = result.secondsPerImage { print(String(format: "detection time: %.3f s per photo", s)) }
        }
        if let report {
            let url = URL(fileURLWithPath: report).appendingPathComponent("report.html")
            var input = EvaluationReport.Input(title: "Face detection evaluation", run: runInfo("(detection only: no smile model)"), modes: [],
                                               detection: first.statistics)
            if results.count > 1 { input.detectionByDetector = results.map { ($0.kind.rawValue, $0.result.statistics) } }
            try EvaluationReport.write(input, to: url)
            console.note("report: \(url.path)")
        }
        if results.contains(where: { !$0.result.failures.isEmpty }) { throw ExitCode(1) }
    }
}
