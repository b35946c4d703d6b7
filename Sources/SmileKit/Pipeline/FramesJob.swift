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
    /// Tracking and the local face search continue from the faces written. With a full pass on
    /// every frame (`videoDetection.fullPassInterval` 1) the result equals an unbroken run's; with
    /// local search between full passes, frames after the resume point may differ slightly (a face
    /// an unbroken run had found by following it back from a later full pass is searched for from
    /// its written box instead).
    public var resume = false
    /// Allow the annotated-frames directory to be (inside) the frame directory.
    public var force = false
    /// Face tracking, smoothing and the per-track summary (see `TrackingSession`).
    public var tracking = TrackingOptions()
    /// How often the full detection pass runs, and the local search between (see `VideoFaceDetector`).
    public var videoDetection = VideoFaceDetector.Settings()

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
        /// Files in the frame directory left out as not images (by extension).
        public var notPhotos: [String] = []
        /// The signal that stopped the run early, if one did.
        public var stoppedBy: Int32?

        public init() {}

        /// Adds what another source's run did (`frames` over several sources).
        public mutating func add(_ other: Summary) {
            frames += other.frames
            faces += other.faces
            failures += other.failures
            alreadyDone += other.alreadyDone
            notPhotos += other.notPhotos
            stoppedBy = stoppedBy ?? other.stoppedBy
        }
    }

    /// Processes every frame in order; a frame that cannot be read is reported and skipped.
    ///
    /// Three stages overlap across frames: decoding and face detection each run on a thread of
    /// their own, ahead of this one by at most a few frames (bounded queues), while this thread
    /// classifies the faces of every frame ready (one network batch across frames), tracks them and
    /// writes the rows, in frame order. Each frame's rows go out in one write, so a frame is either
    /// wholly in the CSV or not at all; `resume` relies on that. Stops after the current frames
    /// once `stop` is set.
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
        // One writer per output: a second run on the same table or folder stops here, having written nothing.
        let locks = try OutputLock.lockAll(files: [csvFile], folders: annotateDirectory.map { [$0] } ?? [])
        defer { withExtendedLifetime(locks) {} }
        StaleTemporaryFiles.clean(recursive: [], flat: (OutputSafety.isDevicePath(csvFile) ? [] : [csvFile.deletingLastPathComponent()])
                                      + (annotateDirectory.map { [$0] } ?? []),
                                  console: console)
        // YuNet's tables carry its score and landmarks; a table of the other layout is refused on --resume.
        let landmarks = pipeline.detector.yunet != nil
        let header = FramesTable.header(landmarks: landmarks)
        let (csv, previousRows) = resume ? try RowFile.resuming(url: csvFile, header: header)
                                         : (try RowFile(url: csvFile, header: header), [])
        let tracks = TrackingSession(options: tracking, threshold: pipeline.threshold)
        let finder = VideoFaceDetector(detector: pipeline.detector, settings: videoDetection)
        var done: [Int: String] = [:]
        for (frame, rows) in try FramesTable.parseFrames(previousRows, source: csvFile.path) {
            done[frame] = rows.file
            tracks.restore(frame: frame, timeSeconds: rows.timeSeconds, faces: rows.faces, smoothedProbabilities: rows.smoothed)
            finder.restore(rows.faces.map { DetectedFace(box: $0.box, angle: $0.angle) })
        }
        var summary = Summary()
        let frames: FrameStages
        if isDirectory.boolValue {
            let (items, failures, skipped) = ImageInputs.scan([source])
            summary.notPhotos = skipped
            failures.forEach { summary.failures.append($0); console.failed($0) }
            frames = FrameStages(directoryItems: items, framesPerSecond: framesPerSecond, skip: done,
                                 detector: finder)
        } else {
            let video: VideoReader
            do { video = try VideoReader(path: source) } catch { throw InputFailure(path: source, error: error) }
            frames = FrameStages(video: video, name: (source as NSString).lastPathComponent, skip: done,
                                 detector: finder)
        }
        defer { frames.finish() }
        var seen = 0
        frameLoop: while let first = frames.next() {
            // Every frame already decoded and detected goes through the network in one batch.
            let batch = [first] + frames.nextReady(limit: Self.framesPerBatch - 1)
            let detected = batch.compactMap { frame -> (faces: [DetectedFace], image: Image)? in
                guard case .detected(let image, let faces, _) = frame.content else { return nil }
                return (faces, image)
            }
            var results = pipeline.classify(detected)[...]
            for frame in batch {
                if let signal = stop.signal {
                    summary.stoppedBy = signal
                    break frameLoop
                }
                console.progress("frames", done: seen, total: frames.total)
                seen += 1
                switch frame.content {
                case .alreadyDone:
                    guard done[frame.index] == frame.file else {
                        throw OutputError(path: csvFile.path, reason: "cannot resume: frame \(frame.index) was \(done[frame.index] ?? "?"), now \(frame.file); the frames changed")
                    }
                    summary.alreadyDone += 1
                case .failed(let failure):
                    summary.failures.append(failure)
                    console.failed(failure)
                case .streamFailed(let reason):
                    let failure = InputFailure(path: source, reason: "stopped after \(summary.frames) frames: \(reason)")
                    summary.failures.append(failure)
                    console.failed(failure)
                case .detected(let image, _, let time):
                    pipeline.recordDetection(time)
                    let faces = results.removeFirst()
                    let tracked = tracks.update(frame: frame.index, timeSeconds: frame.timeSeconds, image: image, faces: faces)
                    if let annotateDirectory {
                        let name = String(format: "frame%06d.jpg", frame.index)
                        let data = Data(try ImageCodec.encode(Annotator.annotate(image, faces: faces), as: .jpeg(quality: 85)))
                        try writeAtomically(data, to: annotateDirectory.appendingPathComponent(name))
                    }
                    try csv.append(FramesTable.rows(frame: frame.index, file: frame.file, timeSeconds: frame.timeSeconds,
                                                    faces: faces, tracks: tracked, landmarks: landmarks))
                    summary.frames += 1
                    summary.faces += faces.count
                }
            }
        }
        if summary.stoppedBy == nil { console.progress("frames", done: seen, total: seen) }
        try tracks.finish()
        try csv.close()
        return summary
    }

    /// Most frames whose faces share one network batch.
    static let framesPerBatch = 8
}
