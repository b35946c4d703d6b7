import Foundation
import SmileVision

/// `smile frames`: one CSV row per face per frame of a frame directory or a video file.
public struct FramesJob {
    /// A directory of frames or a video file.
    public var source: String
    /// The per-frame CSV.
    public var csvFile: URL
    /// Where annotated frames go, if wanted.
    public var annotateDirectory: URL?
    /// Frame rate for `time_s` of a frame directory (a video has its own); nil leaves it empty.
    public var framesPerSecond: Double?
    /// Continue a stopped run: frames already in the CSV are skipped and new rows appended.
    /// Tracking starts afresh at the first new frame (track ids of a resumed run restart).
    public var resume = false
    /// Allow the annotated-frames directory to be (inside) the frame directory.
    public var force = false
    /// Face tracking, smoothing and the per-track summary (see `TrackingSession`).
    public var tracking = TrackingOptions()

    public init(source: String, csvFile: URL, annotateDirectory: URL? = nil, framesPerSecond: Double? = nil,
                resume: Bool = false, force: Bool = false) {
        self.source = source
        self.csvFile = csvFile
        self.annotateDirectory = annotateDirectory
        self.framesPerSecond = framesPerSecond
        self.resume = resume
        self.force = force
    }

    /// What a run did.
    public struct Summary: Equatable {
        public var frames = 0
        public var faces = 0
        public var failures: [InputFailure] = []
        /// Frames skipped because a resumed CSV already had them.
        public var alreadyDone = 0
        /// The signal that stopped the run early, if one did.
        public var stoppedBy: Int32?
    }

    /// Processes every frame in order; a frame that cannot be read is reported and skipped.
    ///
    /// Each frame's rows go out in one write, so a frame is either wholly in the CSV or not at
    /// all; `resume` relies on that. Stops after the current frame once `stop` is set.
    /// Temporary files a killed run left in the output directories are removed first (`StaleTemporaryFiles`).
    public func run(pipeline: SmilePipeline, console: RunConsole, stop: StopRequest = StopRequest()) throws -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw InputFailure(path: source, reason: "no such file or directory")
        }
        if let annotateDirectory {
            try OutputSafety.checkOutputDirectory(annotateDirectory, inputs: [source], option: "--annotate", force: force)
        }
        if !isDirectory.boolValue { try OutputSafety.checkOutputFile(csvFile, inputFiles: [OutputSafety.resolvedPath(source)], option: "the CSV file") }
        StaleTemporaryFiles.clean(recursive: [], flat: [csvFile.deletingLastPathComponent()] + (annotateDirectory.map { [$0] } ?? []),
                                  console: console)
        let (csv, previousRows) = resume ? try RowFile.resuming(url: csvFile, header: FramesTable.header)
                                         : (try RowFile(url: csvFile, header: FramesTable.header), [])
        let tracks = TrackingSession(options: tracking, threshold: pipeline.threshold)
        var done: [Int: String] = [:]
        for (frame, rows) in try FramesTable.parseFrames(previousRows, source: csvFile.path) {
            done[frame] = rows.file
            tracks.restore(frame: frame, timeSeconds: rows.timeSeconds, faces: rows.faces, smoothedProbabilities: rows.smoothed)
        }
        var summary = Summary()
        /// True when `index` is already in the CSV (checking it is the same file), so it is skipped.
        func isDone(_ index: Int, file: String) throws -> Bool {
            guard let previous = done[index] else { return false }
            guard previous == file else {
                throw OutputError(path: csvFile.path, reason: "cannot resume: frame \(index) was \(previous), now \(file); the frames changed")
            }
            summary.alreadyDone += 1
            return true
        }
        func handle(_ image: Image, index: Int, file: String, time: Double?) throws {
            let faces = try pipeline.analyse(image)
            let tracked = tracks.update(frame: index, timeSeconds: time, image: image, faces: faces)
            if let annotateDirectory {
                let name = String(format: "frame%06d.jpg", index)
                let data = Data(try ImageCodec.encode(Annotator.annotate(image, faces: faces), as: .jpeg(quality: 85)))
                try writeAtomically(data, to: annotateDirectory.appendingPathComponent(name))
            }
            try csv.append(FramesTable.rows(frame: index, file: file, timeSeconds: time, faces: faces, tracks: tracked))
            summary.frames += 1
            summary.faces += faces.count
        }
        if isDirectory.boolValue {
            let (items, failures) = ImageInputs.collect([source])
            failures.forEach { summary.failures.append($0); console.failed($0) }
            for (index, item) in items.enumerated() {
                if let signal = stop.signal {
                    summary.stoppedBy = signal
                    break
                }
                console.progress("frames", done: index, total: items.count)
                guard try !isDone(index, file: item.relativeName) else { continue }
                do {
                    let image = try ImageCodec.decode(file: item.path)
                    try handle(image, index: index, file: item.relativeName, time: framesPerSecond.map { Double(index) / $0 })
                } catch let error as OutputError {
                    throw error
                } catch {
                    let failure = InputFailure(path: item.path, reason: describe(error))
                    summary.failures.append(failure)
                    console.failed(failure)
                }
            }
            if summary.stoppedBy == nil { console.progress("frames", done: items.count, total: items.count) }
        } else {
            let video: VideoReader
            do { video = try VideoReader(path: source) } catch { throw InputFailure(path: source, reason: describe(error)) }
            let name = (source as NSString).lastPathComponent
            let total = video.frameCount > 0 ? video.frameCount : nil
            do {
                while let frame = try video.next() {
                    if let signal = stop.signal {
                        summary.stoppedBy = signal
                        break
                    }
                    console.progress("frames", done: frame.index, total: total)
                    guard try !isDone(frame.index, file: name) else { continue }
                    try handle(frame.image, index: frame.index, file: name, time: frame.timeSeconds)
                }
            } catch let error as OutputError {
                throw error
            } catch {
                let failure = InputFailure(path: source, reason: "stopped after \(summary.frames) frames: \(describe(error))")
                summary.failures.append(failure)
                console.failed(failure)
            }
            if summary.stoppedBy == nil { console.progress("frames", done: summary.frames, total: summary.frames) }
        }
        try tracks.finish()
        return summary
    }
}
