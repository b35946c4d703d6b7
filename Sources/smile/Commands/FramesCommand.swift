import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile frames`: per-frame smile tables for frame directories or videos.
struct FramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Classify every face in every frame of frame directories or video files.",
        discussion: """
        Frames of a directory are taken in natural order (frame2 before frame10). The CSV has \
        one row per face per frame: frame,file,time_s,face,x,y,w,h,p_smile,smiling,track,p_smile_smoothed,angle; \
        a frame with no face gets one row with the face columns empty, so every frame is accounted for. \
        Faces are tracked from frame to frame: track is a person's id, stable across frames. \
        Ctrl-C or SIGTERM stops after the current frame, keeping every finished row; --resume \
        continues from there. Several videos or frame directories go to --out DIR: NAME.csv and \
        NAME.tracks.csv (the per-person summary) for each, NAME being its file or folder name; \
        --annotate and --best-faces then get a subfolder NAME each. With --shard K/N each machine \
        takes its part of the sources into its own --out folder; smile merge joins the folders.

        Examples:
          smile frames clip.mp4 --csv clip.csv --annotate clip-frames
          smile frames frames/ --csv frames.csv --fps 25
          smile frames frames/ --csv frames.csv --fps 25 --resume
          smile frames clip.mp4 --csv clip.csv --tracks people.csv --best-faces best
          smile frames videos/*.mp4 --out tables --shard 2/4     # part 2 of 4 of an archive
        """
    )

    @Argument(help: ArgumentHelp("Directories of frames or video files.", valueName: "dir-or-video"))
    var sources: [String]

    @Option(help: ArgumentHelp("Per-frame CSV to write (one source), - for standard output (rows as frames finish).", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Folder for the tables of each source: NAME.csv and NAME.tracks.csv (instead of --csv).", valueName: "dir"))
    var out: String?

    @OptionGroup var sharding: ShardOption

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
                               + "an AVX2 AMD EPYC, whole runs: 1: 18-21 frames/s; 2: 43; 3: 36-59 (12 runs); 4: 60. "
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
        guard (csv == nil) != (out == nil) else { throw ValidationError("give --csv FILE (one source) or --out DIR (any number of sources)") }
        if sources.count > 1 && out == nil { throw ValidationError("several sources write a table each: give --out DIR instead of --csv") }
        if out != nil && tracks != nil { throw ValidationError("with --out each source's summary is DIR/NAME.tracks.csv: leave out --tracks") }
        let names = sources.map(Self.name(of:))
        if let doubled = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("two sources are named \(doubled): their tables would be the same file")
        }
    }

    /// The name a source's tables go by in --out: its file or folder name.
    static func name(of source: String) -> String { URL(fileURLWithPath: source).standardizedFileURL.lastPathComponent }

    /// The job for `source`: into --csv, or into --out as NAME.csv with its subfolders.
    func job(for source: String) -> FramesJob {
        let folder = out.map { URL(fileURLWithPath: $0) }
        let name = Self.name(of: source)
        let table = folder.map { $0.appendingPathComponent(name + ".csv") } ?? URL(fileURLWithPath: csv == "-" ? "/dev/stdout" : csv ?? "-")
        let perSource = { (path: String) in folder == nil ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).appendingPathComponent(name) }
        var job = FramesJob(source: source, csvFile: table, annotateDirectory: annotate.map(perSource), framesPerSecond: fps,
                            resume: runOptions.resume, force: runOptions.force)
        job.tracking.smoothing = smoothing
        job.videoDetection.fullPassInterval = fullPassInterval
        job.tracking.tracker.maxMissed = maxMissed
        job.tracking.tracksFile = folder.map { $0.appendingPathComponent(name + ".tracks.csv") } ?? tracks.map { URL(fileURLWithPath: $0) }
        job.tracking.bestFacesDirectory = bestFaces.map(perSource)
        return job
    }

    func run() throws {
        let console = RunConsole.standardError()
        let shard = try sharding.parsed()
        let mine = shard.map { shard in sources.filter { shard.contains(path: $0) } } ?? sources
        let folder = out.map { URL(fileURLWithPath: $0) }
        if let folder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if let shard { try ShardManifest(shard: shard, inputs: mine.count, complete: false).write(for: folder) }
        }
        // A full pass on every frame is the reference the others are measured against: the full search.
        let pipeline = try makePipeline(detection, model, defaultSearch: fullPassInterval == 1 ? .full : .coarseToFine, video: true)
        let started = DispatchTime.now()
        var summary = FramesJob.Summary()
        let stop = StopRequest.onInterruptSignals()
        for source in mine {
            if mine.count > 1 { console.note("\(source):") }
            do {
                let part = try job(for: source).run(pipeline: pipeline, console: console, stop: stop)
                summary.add(part)
            } catch let failure as InputFailure {
                console.failed(failure)
                summary.failures.append(failure)
                // One source that cannot be read: the others still go (as photos do in annotate).
                if mine.count == 1 { throw ExitCode(1) }
            } catch let error as OutputError {
                console.note("error: \(error)")
                throw ExitCode(1)
            }
            if summary.stoppedBy != nil { break }
        }
        if let folder, let shard, summary.stoppedBy == nil {
            try ShardManifest(shard: shard, inputs: mine.count, complete: true).write(for: folder)
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
