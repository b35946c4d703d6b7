import ArgumentParser
import Foundation
import SmileKit
import SmileNN
import SmileVision

/// Options that choose the smile classifier.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model file (.safetensors); default: $SMILE_MODEL, then the shipped models/smile-default.safetensors.", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("p(smile) at or above which a face counts as smiling (default: the model's own).", valueName: "p"))
    var threshold: Float?

    @Option(help: ArgumentHelp("Compute threads within face detection (a level's rows) and for the classifier "
                               + "(a photo's or frame's faces split over them, at most one part per core, "
                               + "\(SmileModel.minimumFacesPerThread) or more faces each). One is fastest on a "
                               + "busy machine: the next photo or frame is already read and searched on threads of "
                               + "their own while one is classified.", valueName: "n"))
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
    }

    /// Loads the model these options name.
    func loadModel() throws -> SmileModel {
        setThreadCount(threads)
        setOpenCVThreadCount(threads)
        let loaded = try SmileModel.load(contentsOf: try DefaultModel.locate(explicit: model))
        // More parts than cores would only add copies of the network (each as large as the model).
        try loaded.setComputeThreads(min(threads, max(ProcessInfo.processInfo.activeProcessorCount, 1)))
        return loaded
    }
}

/// Builds the pipeline from detection and model options (`defaultSearch` unless --pyramid-search was given;
/// for video frames or photos, see `DetectionOptions.settings`).
func makePipeline(_ detection: DetectionOptions, _ model: ModelOptions,
                  defaultSearch: FaceDetector.PyramidSearch = .coarseToFine, video: Bool = false) throws -> SmilePipeline {
    SmilePipeline(detector: try detection.makeDetector(defaultSearch: defaultSearch, video: video), model: try model.loadModel(),
                  threshold: model.threshold)
}
