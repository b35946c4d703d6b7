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
    /// Face tracking, smoothing and the per-track summary (see `TrackingSession`).
    public var tracking = TrackingOptions()

    public init(source: String, csvFile: URL, annotateDirectory: URL? = nil, framesPerSecond: Double? = nil) {
        self.source = source
        self.csvFile = csvFile
        self.annotateDirectory = annotateDirectory
        self.framesPerSecond = framesPerSecond
    }

    /// What a run did.
    public struct Summary: Equatable {
        public var frames = 0
        public var faces = 0
        public var failures: [InputFailure] = []
    }

    /// Processes every frame in order; a frame that cannot be read is reported and skipped.
    public func run(pipeline: SmilePipeline, console: RunConsole) throws -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw InputFailure(path: source, reason: "no such file or directory")
        }
        let csv = try RowFile(url: csvFile, header: FramesTable.header)
        var summary = Summary()
        let tracks = TrackingSession(options: tracking, threshold: pipeline.threshold)
        func handle(_ image: Image, index: Int, file: String, time: Double?) throws {
            let faces = try pipeline.analyse(image)
            let tracked = tracks.update(frame: index, timeSeconds: time, image: image, faces: faces)
            try csv.append(FramesTable.rows(frame: index, file: file, timeSeconds: time, faces: faces, tracks: tracked))
            if let annotateDirectory {
                let name = String(format: "frame%06d.jpg", index)
                let data = Data(try ImageCodec.encode(Annotator.annotate(image, faces: faces), as: .jpeg(quality: 85)))
                try writeAtomically(data, to: annotateDirectory.appendingPathComponent(name))
            }
            summary.frames += 1
            summary.faces += faces.count
        }
        if isDirectory.boolValue {
            let (items, failures) = ImageInputs.collect([source])
            failures.forEach { summary.failures.append($0); console.failed($0) }
            for (index, item) in items.enumerated() {
                console.progress("frames", done: index, total: items.count)
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
            console.progress("frames", done: items.count, total: items.count)
        } else {
            let video: VideoReader
            do { video = try VideoReader(path: source) } catch { throw InputFailure(path: source, reason: describe(error)) }
            let name = (source as NSString).lastPathComponent
            let total = video.frameCount > 0 ? video.frameCount : nil
            do {
                while let frame = try video.next() {
                    console.progress("frames", done: frame.index, total: total)
                    try handle(frame.image, index: frame.index, file: name, time: frame.timeSeconds)
                }
            } catch let error as OutputError {
                throw error
            } catch {
                let failure = InputFailure(path: source, reason: "stopped after \(summary.frames) frames: \(describe(error))")
                summary.failures.append(failure)
                console.failed(failure)
            }
            console.progress("frames", done: summary.frames, total: summary.frames)
        }
        try tracks.finish()
        return summary
    }
}
