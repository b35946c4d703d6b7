import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile frames`: per-frame smile table for a frame directory or a video.
struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Classify every face in every frame of a frame directory or a video file.",
        discussion: """
        Frames of a directory are taken in natural order (frame2 before frame10). The CSV has \
        one row per face per frame: frame,file,time_s,face,x,y,w,h,p_smile,smiling,track,p_smile_smoothed,angle; \
        a frame with no face gets one row with the face columns empty, so every frame is accounted for. \
        Faces are tracked from frame to frame: track is a person's id, stable across frames. \
        Ctrl-C or SIGTERM stops after the current frame, keeping every finished row; --resume \
        continues from there.

        Examples:
          smile frames clip.mp4 --csv clip.csv --annotate clip-frames
          smile frames frames/ --csv frames.csv --fps 25
          smile frames frames/ --csv frames.csv --fps 25 --resume
          smile frames clip.mp4 --csv clip.csv --tracks people.csv --best-faces best
        """
    )

    @Argument(help: ArgumentHelp("A directory of frames or a video file.", valueName: "dir-or-video"))
    var source: String

    @Option(help: ArgumentHelp("Per-frame CSV to write, - for standard output (rows as frames finish).", valueName: "file"))
    var csv: String

    @Option(help: ArgumentHelp("Also write annotated frames into this directory.", valueName: "dir"))
    var annotate: String?

    @Option(help: ArgumentHelp("Frame rate of a frame directory, for time_s (a video has its own).", valueName: "fps"))
    var fps: Double?

    @Option(help: ArgumentHelp("Also write a per-person summary CSV: one 'all' row per track (first and last frame, "
                               + "mean p(smile), smiliest frame), then one row per smile segment.", valueName: "file"))
    var tracks: String?

    @Option(help: ArgumentHelp("Save each person's smiliest face crop here as track-<id>.jpg.", valueName: "dir"))
    var bestFaces: String?

    @Option(help: ArgumentHelp("Smoothing of p(smile) along a track, in [0, 1): smoothed = s * previous + (1 - s) * p "
                               + "(0: none). Smile segments use the smoothed value.", valueName: "s"))
    var smoothing: Double = 0.5

    @Option(help: ArgumentHelp("Frames in a row a face may go undetected and keep its track id.", valueName: "n"))
    var maxMissed: Int = 5

    @Option(help: ArgumentHelp("Search the whole frame for faces every n frames; in between, search the same pyramid only "
                               + "around the faces seen in the last frames and the last full search's near-faces (giving exactly "
                               + "what a full search finds there), and follow a face a full search finds new back through the "
                               + "frames before it (rows come out n frames late). 1: search every whole frame, in full (the "
                               + "reference). Share of 1's faces found, 640x360 / 1080p clip: the default 3: 99.7% / 98.3%; 2: "
                               + "99.7% / 98.7%; 4: 98.3% / 96.0% (smile compare-frames). Speed on the 640x360 clip, one core of "
                               + "the development machine, whole runs: 1: 18-21 frames/s; 2: 43; 3: 36-59 (12 runs); 4: 60. "
                               + "With --detector yunet, 3 keeps 99.2% / 98.8% of 1's faces (docs/detection.md).",
                               valueName: "n"))
    var detectEvery: Int = VideoFaceDetector.Settings().fullPassInterval

    /// The full-search interval in use.
    var fullPassInterval: Int { detectEvery }

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        if let fps, !(fps > 0) { throw ValidationError("--fps must be positive") }
        guard smoothing >= 0, smoothing < 1 else { throw ValidationError("--smoothing must be in [0, 1), got \(smoothing)") }
        guard maxMissed >= 0 else { throw ValidationError("--max-missed must be >= 0") }
        guard detectEvery >= 1 else { throw ValidationError("--detect-every must be at least 1") }
        if csv == "-" && runOptions.resume { throw ValidationError("--resume continues a table in a file: give --csv FILE") }
    }

    func run() throws {
        let console = RunConsole.standardError()
        var job = FramesJob(source: source, csvFile: URL(fileURLWithPath: csv == "-" ? "/dev/stdout" : csv),
                            annotateDirectory: annotate.map { URL(fileURLWithPath: $0) }, framesPerSecond: fps,
                            resume: runOptions.resume, force: runOptions.force)
        job.tracking.smoothing = smoothing
        job.videoDetection.fullPassInterval = fullPassInterval
        job.tracking.tracker.maxMissed = maxMissed
        job.tracking.tracksFile = tracks.map { URL(fileURLWithPath: $0) }
        job.tracking.bestFacesDirectory = bestFaces.map { URL(fileURLWithPath: $0) }
        // A full pass on every frame is the reference the others are measured against: the full search.
        let pipeline = try makePipeline(detection, model, defaultSearch: fullPassInterval == 1 ? .full : .coarseToFine, video: true)
        let started = DispatchTime.now()
        let summary: FramesJob.Summary
        do { summary = try job.run(pipeline: pipeline, console: console, stop: StopRequest.onInterruptSignals()) } catch let failure as InputFailure {
            console.failed(failure)
            throw ExitCode(1)
        } catch let error as OutputError {
            console.note("error: \(error)")
            throw ExitCode(1)
        }
        try exitIfStopped(summary.stoppedBy, done: summary.alreadyDone + summary.frames, console: console)
        runOptions.reportSkipped(summary.notPhotos, console: console)
        if summary.alreadyDone > 0 { console.note("\(summary.alreadyDone) frames were already done (--resume)") }
        console.note("\(summary.frames) frames, \(summary.faces) faces; \(summary.failures.count) inputs failed")
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6 / Double(max(1, summary.frames))
        console.note(String(format: "time: %.1f ms per frame in all; ", wall) + pipeline.timings.perImageSummary(threadCPU: model.threads == 1) + "; the rest is decoding and writing")
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
