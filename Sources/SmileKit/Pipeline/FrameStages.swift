import Dispatch
import Foundation
import SmileVision

/// The decode and detect stages of `smile frames`: frames decoded on one thread, their faces found
/// on another, handed on in frame order through bounded queues.
///
/// Frames listed in `skip` (already in a resumed CSV under that file name) are passed on as
/// `.alreadyDone` without decoding; the consumer checks the names. A frame that cannot be decoded
/// or searched becomes `.failed`; a video that breaks off ends with `.streamFailed`. Call `finish`
/// when done (also after stopping early).
final class FrameStages {
    /// One frame on its way through the pipeline.
    struct Frame {
        enum Content {
            /// Decoded, with its faces and the time detection took.
            case detected(Image, [DetectedFace], time: StageTime)
            /// Already in the CSV of a resumed run.
            case alreadyDone
            /// This frame could not be read or searched; the others go on.
            case failed(InputFailure)
            /// The video could not be read past this point (the reason); nothing follows.
            case streamFailed(String)
        }
        var index: Int
        var file: String
        var timeSeconds: Double?
        var content: Content
    }

    /// A decoded frame (or why not), before detection.
    struct Decoded {
        var index: Int
        var file: String
        var timeSeconds: Double?
        var image: Result<Image, InputFailure>?
        var streamFailure: String?
    }

    /// Frames queued between two stages: enough to smooth out uneven frames, few enough to bound memory.
    static let queueCapacity = 4

    /// Number of frames, when known.
    let total: Int?
    private let detection: BackgroundStage<Frame>

    /// Stages over the image files of a frame directory, in order; time = index / fps when given.
    /// A frame of another size than the first one decoded is not of the sequence: `.failed`.
    convenience init(directoryItems items: [ImageInputs.Item], framesPerSecond: Double?, skip: [Int: String],
                     detector: VideoFaceDetector) {
        self.init(total: items.count, detector: detector) { emit in
            // The size of the sequence's frames: the first decoded one's.
            var frameSize: (width: Int, height: Int)?
            for (index, item) in items.enumerated() {
                var frame = Decoded(index: index, file: item.relativeName, timeSeconds: framesPerSecond.map { Double(index) / $0 })
                if skip[index] == nil {
                    do {
                        let image = try ImageCodec.decode(file: item.path)
                        let size = frameSize ?? (image.width, image.height)
                        frameSize = size
                        if (image.width, image.height) == size {
                            frame.image = .success(image)
                        } else {
                            frame.image = .failure(InputFailure(path: item.path, reason: "is \(image.width)x\(image.height), the frames before it \(size.width)x\(size.height): not a frame of this sequence, skipped"))
                        }
                    } catch {
                        frame.image = .failure(InputFailure(path: item.path, error: error))
                    }
                }
                guard emit(frame) else { return }
            }
        }
    }

    /// Stages over the frames of an opened video; every frame carries the video's file name.
    /// Frames that cannot be decoded become one `.failed` entry per run of them, named by frame
    /// number and time; frames the decoder patched up (error concealment) are kept and named in one
    /// `.failed` entry at the end.
    convenience init(video: VideoReader, name: String, skip: [Int: String], detector: VideoFaceDetector) {
        self.init(total: video.frameCount > 0 ? video.frameCount : nil, detector: detector) { emit in
            let damage = VideoDamage(path: video.path, fps: video.fps)
            var next = 0
            do {
                while let frame = try video.next() {
                    if frame.lostBefore > 0 {
                        let lost = damage.lost(frames: (frame.index - frame.lostBefore)..<frame.index, reason: frame.lostReason)
                        guard emit(Decoded(index: frame.index - frame.lostBefore, file: name, image: .failure(lost))) else { return }
                    }
                    if frame.concealed { damage.concealed.append(frame.index) }
                    next = frame.index + 1
                    let image: Result<Image, InputFailure>? = skip[frame.index] == nil ? .success(frame.image) : nil
                    guard emit(Decoded(index: frame.index, file: name, timeSeconds: frame.timeSeconds, image: image)) else { return }
                }
                let end = video.lostAtEnd()
                if end.count > 0 {
                    guard emit(Decoded(index: next, file: name, image: .failure(damage.lost(frames: next..<(next + end.count), reason: end.reason)))) else { return }
                    next += end.count
                }
                if let short = damage.endedEarly(after: next, listed: video.frameCount) {
                    guard emit(Decoded(index: next, file: name, image: .failure(short))) else { return }
                }
                if let concealed = damage.concealedFailure() {
                    _ = emit(Decoded(index: next, file: name, image: .failure(concealed)))
                }
            } catch {
                _ = emit(Decoded(index: next, file: name, streamFailure: describe(error)))
            }
        }
    }

    private init(total: Int?, detector: VideoFaceDetector, decode: @escaping (_ emit: (Decoded) -> Bool) -> Void) {
        self.total = total
        detection = BackgroundStage(name: "smile-detect", capacity: Self.queueCapacity) { emit in
            let decoding = BackgroundStage(name: "smile-decode", capacity: Self.queueCapacity, produce: decode)
            defer { decoding.finish() }
            var held = HeldFrames()
            while let decoded = decoding.next() {
                held.append(decoded, detector: detector)
                for frame in held.takeFinal() { guard emit(frame) else { return } }
            }
            held.flush(detector)
            for frame in held.takeFinal() { guard emit(frame) else { return } }
        }
    }

    /// The next frame in order, waiting for it; nil after the last.
    func next() -> Frame? { detection.next() }

    /// Up to `limit` more frames that are ready now.
    func nextReady(limit: Int) -> [Frame] { detection.nextReady(limit: limit) }

    /// Stops both stages and waits for their threads.
    func finish() { detection.finish() }
}

/// Frames whose faces `VideoFaceDetector` has not yet made final, kept in order with the frames
/// between them that need no detection (already done, unreadable).
private struct HeldFrames {
    private var frames: [FrameStages.Frame] = []
    /// Frames waiting for their faces, oldest first: position in `frames`, image, detection time.
    private var waiting: [(position: Int, image: Image, time: StageTime)] = []

    /// Adds the next decoded frame, detecting faces in it when it has an image.
    mutating func append(_ decoded: FrameStages.Decoded, detector: VideoFaceDetector) {
        var frame = FrameStages.Frame(index: decoded.index, file: decoded.file, timeSeconds: decoded.timeSeconds, content: .alreadyDone)
        switch (decoded.streamFailure, decoded.image) {
        case (let reason?, _):
            frame.content = .streamFailed(reason)
        case (nil, nil):
            frame.content = .alreadyDone
        case (nil, .failure(let failure)?):
            frame.content = .failed(failure)
        case (nil, .success(let image)?):
            let stopwatch = StageStopwatch()
            do {
                let final = try detector.push(image, frame: decoded.index)
                frames.append(frame)
                waiting.append((frames.count - 1, image, stopwatch.elapsed))
                settle(final)
                return
            } catch {
                frame.content = .failed(InputFailure(path: decoded.file, reason: "face detection failed: \(describe(error))"))
            }
        }
        frames.append(frame)
    }

    /// Hands the detector's remaining frames to the frames still waiting (end of input).
    mutating func flush(_ detector: VideoFaceDetector) {
        settle(detector.flush())
    }

    /// The frames at the front that are final, in order.
    mutating func takeFinal() -> [FrameStages.Frame] {
        let firstWaiting = waiting.first?.position ?? frames.count
        let ready = Array(frames[..<firstWaiting])
        frames.removeFirst(firstWaiting)
        waiting = waiting.map { ($0.position - firstWaiting, $0.image, $0.time) }
        return ready
    }

    /// Gives the oldest waiting frames their final faces.
    private mutating func settle(_ final: [[DetectedFace]]) {
        precondition(final.count <= waiting.count, "VideoFaceDetector returned more frames than it was given")
        for faces in final {
            let item = waiting.removeFirst()
            frames[item.position].content = .detected(item.image, faces, time: item.time)
        }
    }
}
