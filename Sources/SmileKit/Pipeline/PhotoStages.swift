import Dispatch
import SmileVision

/// The decode and detect stages of `smile annotate` and `smile eval`: each photo decoded and
/// searched for faces on a thread of its own, handed on in input order through a bounded queue.
///
/// Detection is most of a photo's time, so with a second core free the next photo is searched
/// while this one is classified (and drawn, encoded and written); on one core the two threads take
/// turns and the run costs what it did in one thread. Photos whose paths are in `skip` (already in
/// a resumed CSV) pass as `.alreadyDone` without being read. A photo that cannot be read or searched
/// becomes `.failed`, and the others go on. Call `finish` when done (also after stopping early).
final class PhotoStages {
    /// One photo on its way through the pipeline.
    struct Photo {
        enum Content {
            /// Decoded, with its faces and the time detection took.
            case detected(Image, [DetectedFace], time: StageTime)
            /// Already in the CSV of a resumed run.
            case alreadyDone
            /// This photo could not be read or searched.
            case failed(InputFailure)
        }
        var index: Int
        var item: ImageInputs.Item
        var content: Content
    }

    /// Photos queued ahead of the one being written: one keeps a second core busy, and more would
    /// only hold more decoded photos in memory (the producer holds one more while it works).
    static let queueCapacity = 1

    private let stage: BackgroundStage<Photo>

    /// Starts reading and searching `items` in order with `detector` (used by this stage's thread only).
    init(items: [ImageInputs.Item], skip: Set<String>, detector: FaceDetector) {
        stage = BackgroundStage(name: "smile-detect", capacity: Self.queueCapacity) { emit in
            for (index, item) in items.enumerated() {
                let content = skip.contains(item.path) ? .alreadyDone : Self.detect(item, with: detector)
                guard emit(Photo(index: index, item: item, content: content)) else { return }
            }
        }
    }

    /// The photo at `item` and its faces, or why not.
    private static func detect(_ item: ImageInputs.Item, with detector: FaceDetector) -> Photo.Content {
        do {
            let image = try ImageCodec.decode(file: item.path)
            let stopwatch = StageStopwatch()
            let faces = try detector.detectFaces(in: image)
            return .detected(image, faces, time: stopwatch.elapsed)
        } catch {
            return .failed((error as? InputFailure) ?? InputFailure(path: item.path, error: error))
        }
    }

    /// The next photo in input order, waiting for it; nil after the last.
    func next() -> Photo? { stage.next() }

    /// Stops the stage (photos not yet taken are dropped) and waits for its thread.
    func finish() { stage.finish() }
}
