import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileVision

/// `smile eval`: accuracy with and without face detection on labelled photos.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure smile accuracy on labelled photos, with and without face detection, side by side.",
        discussion: """
        Each photo is classified twice: WITHOUT detection (the whole photo resized to the \
        model's input, as the 2019 study did) and WITH detection (faces found first; for a \
        photo-level label the largest face decides, and photos where several faces were found \
        are counted in a note: if they show other people, label each face instead). Two \
        "with detection" columns are shown: \
        "faces found" leaves out photos (or labelled faces) where no face was found, and \
        "all; not found = wrong" counts each of them as an error. They are listed too.

        Labelled inputs, in any of these layouts:
          a folder with class folders 0/ and 1/ (or no_smile/ smile/)
          a CSV path,label                       (one photo per row)
          a CSV path,x,y,w,h,label               (one face per row, for group photos; detections
                                                  are matched to the boxes at IoU >= 0.5, and
                                                  missed faces and false detections are counted)

        Figures: accuracy, precision, recall, F1, ROC AUC with 95% intervals (Wilson; \
        bootstrap for F1 and AUC), confusion matrices (TP FN / FP TN), and the threshold \
        that maximises accuracy next to the model's own. --report writes report.html \
        (self-contained: tables, ROC curves, detection by face size, a gallery of every \
        misclassified face) and evaluation.json (the raw scores it is drawn from; the reports \
        of a run's shards join into one with `smile merge`). Exit status is 0 only when every \
        input was read.

        Example:
          smile dataset composite --faces genki4k --split-side test --backgrounds groups --out composite
          smile eval composite --report eval-report --csv eval.csv
          smile eval composite/faces.csv --report eval-faces
          smile eval ../shared/data/wild/faces.csv --side selection   # choose on one half of the photos
          smile eval ../shared/data/wild/faces.csv --detector haar,yunet --report both   # the detectors side by side
          smile eval faces.csv --shard 1/2 --report r1 & smile eval faces.csv --shard 2/2 --report r2
          smile merge r1 r2 --out report   # one report of both halves
        """
    )

    @Argument(help: ArgumentHelp("Labelled sets: class-folder directories or CSV files.", valueName: "labelled"))
    var labelled: [String]

    @Option(help: ArgumentHelp("Directory for report.html.", valueName: "dir"))
    var report: String?

    @Option(help: ArgumentHelp("Per-example CSV: image,label,x,y,w,h,p_without_detection,face_found,det_x,det_y,det_w,det_h,p_with_detection.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Most misclassified faces shown in the report's gallery.", valueName: "n"))
    var gallery: Int = 120

    @Option(help: ArgumentHelp("Only the photos on this side of the fixed split by photo (half each, by a hash of the photo's path as the labels file writes it): selection (choose models and thresholds on it) or test (report only).", valueName: "side"))
    var side: PhotoSplit?

    @OptionGroup var sharding: ShardOption

    @OptionGroup var model: ModelOptions
    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        guard gallery >= 0 else { throw ValidationError("--gallery must be >= 0") }
    }

    func run() throws {
        let console = RunConsole.standardError()
        let loadedModel = try model.loadModel()
        let shard = try sharding.parsed()
        var record = EvaluationRecord(model: runInfo(loadedModel).model, command: CommandLine.arguments.joined(separator: " "), detectors: [])
        for kind in detection.detectors.kinds {
            let pipeline = SmilePipeline(detector: try detection.makeDetector(kind: kind), model: loadedModel, threshold: model.threshold)
            var job = EvaluationJob(inputs: labelled, csvFile: csv.map { Self.csvFile($0, kind: kind, of: detection.detectors.kinds) },
                                    galleryLimit: gallery)
            job.timesOnThreadCPU = model.threads == 1
            job.photoSide = side
            job.shard = shard
            record.detectors.append(.init(detector: kind.rawValue, tally: try job.tally(pipeline: pipeline, console: console)))
        }
        let results = record.results()
        // A table of zeros would only hide the errors above it: nothing was measured.
        guard let first = results.first?.result, first.examples > 0 else {
            console.note("no labelled example could be read from \(labelled.joined(separator: ", ")): nothing to measure")
            throw ExitCode(1)
        }
        let several = results.count > 1
        for (index, (name, result)) in results.enumerated() {
            if several { print("\(index > 0 ? "\n" : "")== detector: \(name)") }
            print(EvaluationText.table(result.modes, notes: result.notes), terminator: "")
            if let stats = result.detection {
                print("\nFace detection against the labelled boxes (IoU >= 0.5):")
                print(EvaluationText.detectionTable(stats), terminator: "")
            }
            if !result.notFound.isEmpty {
                print("\nFace not found (\(result.notFound.count)):")
                for e in result.notFound { print("  \(e.path)\(e.box.map { " [\($0)]" } ?? "") label \(e.label)") }
            }
        }
        if let report {
            let folder = URL(fileURLWithPath: report)
            try record.writeReport(results, into: folder)
            // The report is written once every photo was tried, so a shard's report folder is complete.
            if let shard { try ShardManifest(shard: shard, inputs: first.examples, complete: true).write(for: folder) }
            console.note("report: \(folder.appendingPathComponent("report.html").path)")
        }
        if results.contains(where: { !$0.result.failures.isEmpty }) { throw ExitCode(1) }
    }

    /// The per-example CSV for `kind`: as given for one detector, else with the detector's name before the extension.
    static func csvFile(_ path: String, kind: FaceDetector.Kind, of kinds: [FaceDetector.Kind]) -> URL {
        guard kinds.count > 1 else { return URL(fileURLWithPath: path) }
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "csv" : url.pathExtension
        return url.deletingPathExtension().appendingPathExtension("\(kind.rawValue).\(ext)")
    }
}

/// Run information for a report: model, now, and the command line as typed.
func runInfo(_ model: String) -> EvaluationReport.RunInfo {
    EvaluationReport.RunInfo(model: model, date: Date(), command: CommandLine.arguments.joined(separator: " "))
}

/// Run information for a report on `model`: its file and the precision its convolutions ran in.
func runInfo(_ model: SmileModel) -> EvaluationReport.RunInfo {
    runInfo("\(model.source) (convolutions in \(model.precision.rawValue))")
}
extension PhotoSplit: ExpressibleByArgument {}
