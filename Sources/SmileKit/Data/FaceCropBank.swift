import Dispatch
import Foundation
import SmileVision

/// Face crops of a data set, decoded and framed once, held in memory as 8-bit gray squares.
///
/// Each crop covers the model's framing rectangle enlarged by `context` about its centre, so
/// augmentation can shift, zoom and rotate without running off the stored pixels. Whole-head
/// images are framed around the run-time detector's largest box (or, when it finds none, the
/// median box of the detections in that data set); tight crops are framed by the box measured
/// by `TightCropFraming`.
public struct FaceCropBank: Sendable {
    /// Side of each stored crop in pixels.
    public let side: Int
    /// The stored area relative to the framing rectangle (1.25: 12.5% extra on each side).
    public let context: Double
    /// The crops, `side * side` bytes each, rows top to bottom.
    public private(set) var pixels: [UInt8]
    /// The faces the crops came from, in the same order.
    public private(set) var faces: [LabelledFace]
    /// For each crop, whether the detector found the face (false: framed by the set's median box).
    public private(set) var detected: [Bool]

    /// The number of crops.
    public var count: Int { faces.count }

    /// Crop `index` as an image.
    public func image(_ index: Int) -> Image {
        let size = side * side
        return Image(width: side, height: side, channels: 1, pixels: Array(pixels[index * size..<(index + 1) * size]))
    }

    /// Statistics of a build, for the training log and the model's provenance.
    public struct BuildReport: Sendable {
        public var failures: [InputFailure] = []
        public var undetected: [String: Int] = [:]
        public var tightBoxes: [String: RelativeBox] = [:]
    }

    /// Decodes and frames `faces`; unreadable images are skipped and reported.
    ///
    /// - Parameters:
    ///   - makeDetector: makes one detector per worker thread (detectors are not thread-safe).
    ///   - tightBoxes: the measured detector box for each tight-crop data set.
    ///   - threads: worker threads for decoding and detection.
    public static func build(_ faces: [LabelledFace], framing: CropFraming, side: Int, context: Double,
                             tightBoxes: [String: RelativeBox], threads: Int = 2,
                             makeDetector: () throws -> FaceDetector, progress: ((Int) -> Void)? = nil) throws -> (FaceCropBank, BuildReport) {
        let size = side * side
        let workers = max(1, min(threads, faces.count))
        let detectors = try (0..<workers).map { _ in try makeDetector() }
        var found = [Rect?](repeating: nil, count: faces.count)
        var images = [Image?](repeating: nil, count: faces.count)
        var errors = [String?](repeating: nil, count: faces.count)
        let lock = NSLock()
        var done = 0
        // Pass 1: decode and detect in parallel (each worker owns a detector and a stripe of indices).
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: faces.count, by: workers) {
                do {
                    let image = try ImageCodec.decode(file: faces[index].path, gray: true)
                    let box = faces[index].framing == .wholeHead ? try detectors[worker].detect(in: image).first : nil
                    lock.withLock { images[index] = image; found[index] = box; done += 1 }
                } catch {
                    lock.withLock { errors[index] = describe(error); done += 1 }
                }
                if worker == 0, let progress { progress(lock.withLock { done }) }
            }
        }
        // Median detector box of each whole-head data set, for the images where no face was found.
        var report = BuildReport(tightBoxes: tightBoxes)
        var medians: [String: RelativeBox] = [:]
        for dataset in Set(faces.map(\.dataset)) {
            let boxes = faces.indices.compactMap { i -> RelativeBox? in
                guard faces[i].dataset == dataset, let box = found[i], let image = images[i] else { return nil }
                return RelativeBox(box, inWidth: image.width, height: image.height)
            }
            medians[dataset] = RelativeBox.median(boxes)
        }
        // Pass 2: frame and store.
        var bank = FaceCropBank(side: side, context: context, pixels: [], faces: [], detected: [])
        bank.pixels.reserveCapacity(faces.count * size)
        for (index, face) in faces.enumerated() {
            guard let image = images[index] else {
                report.failures.append(InputFailure(path: face.path, reason: errors[index] ?? "unreadable"))
                continue
            }
            let box: Rect
            if let detectedBox = found[index] {
                box = detectedBox
            } else if let relative = face.framing == .tightCrop ? tightBoxes[face.dataset] : medians[face.dataset] {
                box = relative.rect(width: image.width, height: image.height)
                if face.framing == .wholeHead { report.undetected[face.dataset, default: 0] += 1 }
            } else {
                report.failures.append(InputFailure(path: face.path, reason: "no face box: nothing detected and no measured box for \(face.dataset)"))
                continue
            }
            let crop = image.croppedResized(to: contextRect(framing.cropRect(around: box), context: context), width: side, height: side)
            bank.pixels += crop.pixels
            bank.faces.append(face)
            bank.detected.append(found[index] != nil)
        }
        return (bank, report)
    }

    /// `rect` enlarged by `context` about its centre.
    static func contextRect(_ rect: Rect, context: Double) -> Rect {
        let side = Int((Double(rect.width) * context).rounded())
        return Rect(x: rect.x + (rect.width - side) / 2, y: rect.y + (rect.height - side) / 2, width: side, height: side)
    }
}
