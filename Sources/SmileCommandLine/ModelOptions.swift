import ArgumentParser
import Foundation
import SmileKit
import SmileNN
import SmileVision

extension ConvolutionPrecision: ExpressibleByArgument {}

/// Options that choose the smile classifier.
public struct ModelOptions: ParsableArguments {
    public init() {}

    @Option(help: ArgumentHelp("Model file (.safetensors); default: $SMILE_MODEL, then the shipped models/smile-default.safetensors.", valueName: "file"))
    public var model: String?

    @Option(help: ArgumentHelp("p(smile) at or above which a face counts as smiling (default: the model's own).", valueName: "p"))
    public var threshold: Float?

    @Option(help: ArgumentHelp("Compute threads within face detection (a level's rows) and for the classifier "
                               + "(a photo's or frame's faces split over them, at most one part per core, "
                               + "\(SmileModel.minimumFacesPerThread) or more faces each). One is fastest on a "
                               + "busy machine: the next photo or frame is already read and searched on threads of "
                               + "their own while one is classified.", valueName: "n"))
    public var threads: Int = 1

    @Option(help: ArgumentHelp("Precision of the classifier's convolutions: float32, or bfloat16 (products of "
                               + "bfloat16-rounded inputs and weights, summed in float; needs AVX-512 BF16): about "
                               + "half the time per face, probabilities within 0.012 of float32's and the same "
                               + "verdict on all but 12 of 30,205 labelled crops (bench/compare-precision.sh). "
                               + "int8: 7-bit inputs and 8-bit weights summed exactly in integers (needs AVX2 and a model "
                               + "calibrated by `smile model calibrate`, as the shipped one is): about a third of float32's "
                               + "time per face with AVX-512 VNNI; the same verdict on all but 92 of 30,532 labelled crops, "
                               + "probabilities within 0.03 for 99% of them. "
                               + "Default: bfloat16 where this CPU has it (\(ConvolutionPrecision.fastest.rawValue) "
                               + "here), else float32. float32 gives the same probabilities on every machine.",
                               valueName: "precision"))
    public var precision: ConvolutionPrecision?

    @Flag(help: ArgumentHelp("Classify each face mirrored too and average the two probabilities (twice the classifier's time)."))
    public var mirror = false

    public func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if precision == .bfloat16 && !ConvolutionPrecision.bfloat16Supported {
            throw ValidationError("--precision bfloat16 needs a CPU with AVX-512 BF16, which this one lacks; use float32")
        }
        if precision == .int8 && !ConvolutionPrecision.int8Supported {
            throw ValidationError("--precision int8 needs a CPU with AVX2, which this one lacks; use float32")
        }
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
    }

    /// Loads the model these options name.
    public func loadModel() throws -> SmileModel {
        setThreadCount(threads)
        setOpenCVThreadCount(threads)
        let loaded = try SmileModel.load(contentsOf: try DefaultModel.locate(explicit: model))
        if precision == .int8 && loaded.metadata.int8InputMaxima == nil {
            throw ValidationError("\(loaded.source) has no int8 calibration: run `smile model calibrate` on it first, or use float32")
        }
        // More parts than cores would only add copies of the network (each as large as the model).
        loaded.setPrecision(precision ?? .fastest)
        loaded.mirrorAveraging = mirror
        try loaded.setComputeThreads(min(threads, max(ProcessInfo.processInfo.activeProcessorCount, 1)))
        return loaded
    }
}

/// Builds the pipeline from detection and model options (`defaultSearch` unless --pyramid-search was given;
/// for video frames or photos, see `DetectionOptions.settings`).
public func makePipeline(_ detection: DetectionOptions, _ model: ModelOptions,
                  defaultSearch: FaceDetector.PyramidSearch = .coarseToFine, video: Bool = false) throws -> SmilePipeline {
    SmilePipeline(detector: try detection.makeDetector(defaultSearch: defaultSearch, video: video), model: try model.loadModel(),
                  threshold: model.threshold)
}
