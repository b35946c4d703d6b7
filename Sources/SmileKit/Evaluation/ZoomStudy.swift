import Foundation
import SmileVision

/// The study's zoom experiment: how small can a face get before the verdict changes?
///
/// The photo is shrunk by a geometric series of scales (1 down to
/// `smallestScale`) and pasted in the centre of a canvas of the photo's own
/// size, filled with the photo's **mean colour** (per channel), so the face
/// covers from 100% of its original size down to a few per cent. At each step
/// the canvas is classified without detection (whole canvas resized to the
/// model input) and with detection (the detection that matches the expected
/// face box at IoU >= 0.5; others count as false detections). The reference
/// face is the largest face detected in the unscaled photo.
public struct ZoomStudy {
    /// Number of steps, including scale 1.
    public var steps: Int
    /// The last (smallest) scale.
    public var smallestScale: Double

    /// Creates a study (defaults: 14 steps from 1 to 0.04).
    public init(steps: Int = 14, smallestScale: Double = 0.04) {
        precondition(steps >= 2 && smallestScale > 0 && smallestScale < 1, "ZoomStudy: need >= 2 steps and 0 < smallestScale < 1")
        self.steps = steps
        self.smallestScale = smallestScale
    }

    /// The scales, 1 first, geometric.
    public var scales: [Double] {
        (0..<steps).map { pow(smallestScale, Double($0) / Double(steps - 1)) }
    }

    /// No face in the unscaled photo: there is nothing to zoom out from.
    public struct NoFaceError: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String { "no face found in the photo at full size; the zoom study needs a face photo" }
    }

    /// One step of the study.
    public struct Step: Sendable, Equatable {
        /// The scale applied to the photo (1 = full size).
        public var scale: Double
        /// Canvas size (the photo's own size).
        public var canvasWidth: Int, canvasHeight: Int
        /// Where the face should be on the canvas (the reference face, scaled and moved).
        public var expectedFace: Rect
        /// The face's larger side in canvas pixels.
        public var facePixels: Int
        /// The face's larger side once the whole canvas is resized to the model input.
        public var facePixelsAtInput: Double
        /// p(smile) of the whole canvas.
        public var withoutDetection: Double
        /// The detection matching `expectedFace`, if any.
        public var detected: Rect?
        /// p(smile) of the matched detection.
        public var withDetection: Double?
        /// Detections that matched nothing.
        public var falseDetections: Int
    }

    /// The outcome: every step and the answer.
    public struct Result: Sendable {
        /// Steps, largest first.
        public var steps: [Step]
        /// The decision threshold used.
        public var threshold: Double
        /// Model input side (width), pixels.
        public var inputSide: Int

        /// The smallest step whose verdict, and that of every larger step, matches full size; without detection.
        public var smallestWorkingWithoutDetection: Step? {
            smallestWorking { $0.withoutDetection }
        }
        /// The same with detection (a step with no matching detection does not work).
        public var smallestWorkingWithDetection: Step? {
            smallestWorking { $0.withDetection }
        }

        private func smallestWorking(_ p: (Step) -> Double?) -> Step? {
            guard let first = steps.first, let p0 = p(first) else { return nil }
            var last = first
            for step in steps.dropFirst() {
                guard let v = p(step), (v >= threshold) == (p0 >= threshold) else { break }
                last = step
            }
            return last
        }

        /// CSV header.
        public static let csvHeader = CSVFormat.row([
            "step", "scale", "canvas_w", "canvas_h", "face_px", "face_px_at_input", "p_without_detection",
            "smiling_without_detection", "face_found", "x", "y", "w", "h", "p_with_detection",
            "smiling_with_detection", "false_detections"])

        /// The steps as CSV, header first.
        public var csv: String {
            var text = Self.csvHeader
            for (i, s) in steps.enumerated() {
                let d = s.detected
                text += CSVFormat.row([
                    String(i + 1), String(format: "%.4f", s.scale), String(s.canvasWidth), String(s.canvasHeight),
                    String(s.facePixels), String(format: "%.1f", s.facePixelsAtInput),
                    String(format: "%.6f", s.withoutDetection), s.withoutDetection >= threshold ? "1" : "0",
                    d == nil ? "0" : "1", d.map { String($0.x) } ?? "", d.map { String($0.y) } ?? "",
                    d.map { String($0.width) } ?? "", d.map { String($0.height) } ?? "",
                    s.withDetection.map { String(format: "%.6f", $0) } ?? "",
                    s.withDetection.map { $0 >= threshold ? "1" : "0" } ?? "", String(s.falseDetections)])
            }
            return text
        }

        /// The answer in words.
        public var answer: String {
            func line(_ name: String, _ step: Step?, input: Bool) -> String {
                guard let step else { return "\(name): no verdict at full size" }
                var text = "\(name): same verdict as full size down to a face of \(step.facePixels) px in the photo"
                if input { text += String(format: " (%.1f px at the model's %d px input)", step.facePixelsAtInput, inputSide) }
                if step == steps.last { text += ", the smallest step tried" }
                return text
            }
            return line("without detection", smallestWorkingWithoutDetection, input: true) + "\n"
                + line("with detection", smallestWorkingWithDetection, input: false) + "\n"
        }

        /// The report's zoom chart: p(smile) against face side in photo pixels, one line per mode.
        public var reportStudy: EvaluationReport.ZoomStudy {
            EvaluationReport.ZoomStudy(xLabel: "face side (px in the photo)", series: [
                EvaluationReport.ZoomSeries(name: "without detection",
                                            points: steps.map { (Double($0.facePixels), $0.withoutDetection) }),
                EvaluationReport.ZoomSeries(name: "with detection",
                                            points: steps.compactMap { s in s.withDetection.map { (Double(s.facePixels), $0) } }),
            ])
        }
    }

    /// Runs the study on `photo`.
    public func run(photo: Image, pipeline: SmilePipeline) throws -> Result {
        guard let reference = try pipeline.detector.detect(in: photo).first else { throw NoFaceError() }
        let inputSide = pipeline.model.metadata.inputShape.width
        var result: [Step] = []
        for scale in scales {
            let (canvas, placed) = Self.canvas(photo, scale: scale)
            let sx = Double(placed.width) / Double(photo.width), sy = Double(placed.height) / Double(photo.height)
            let expected = Rect(x: placed.x + Int((Double(reference.x) * sx).rounded()),
                                y: placed.y + Int((Double(reference.y) * sy).rounded()),
                                width: max(1, Int((Double(reference.width) * sx).rounded())),
                                height: max(1, Int((Double(reference.height) * sy).rounded())))
            let faces = try pipeline.analyse(canvas)
            let match = BoxMatcher.match(detections: faces.map { $0.box }, truths: [expected])
            let face = match.matches.first.map { faces[$0.detection] }
            let side = max(expected.width, expected.height)
            result.append(Step(
                scale: scale, canvasWidth: canvas.width, canvasHeight: canvas.height, expectedFace: expected,
                facePixels: side, facePixelsAtInput: Double(side) * Double(inputSide) / Double(canvas.width),
                withoutDetection: Double(pipeline.classifyWholeImage(canvas)),
                detected: face?.box, withDetection: face.map { Double($0.smileProbability) },
                falseDetections: match.falseDetections.count))
        }
        return Result(steps: result, threshold: Double(pipeline.threshold), inputSide: inputSide)
    }

    /// `photo` shrunk by `scale` in the centre of a canvas of its own size filled with its mean colour.
    public static func canvas(_ photo: Image, scale: Double) -> (canvas: Image, placed: Rect) {
        let w = max(1, Int((Double(photo.width) * scale).rounded()))
        let h = max(1, Int((Double(photo.height) * scale).rounded()))
        let placed = Rect(x: (photo.width - w) / 2, y: (photo.height - h) / 2, width: w, height: h)
        var canvas = Image(width: photo.width, height: photo.height, channels: photo.channels)
        let mean = meanColour(photo)
        for i in 0..<(photo.width * photo.height) {
            for c in 0..<photo.channels { canvas.pixels[i * photo.channels + c] = mean[c] }
        }
        paste(w == photo.width && h == photo.height ? photo : photo.resized(width: w, height: h), into: &canvas, at: placed)
        return (canvas, placed)
    }

    /// Per-channel mean of `image`, rounded.
    public static func meanColour(_ image: Image) -> [UInt8] {
        var sums = [Int](repeating: 0, count: image.channels)
        for (i, v) in image.pixels.enumerated() { sums[i % image.channels] += Int(v) }
        let n = max(1, image.width * image.height)
        return sums.map { UInt8(($0 + n / 2) / n) }
    }

    /// Copies `patch` into `canvas` with its top-left at `rect`'s origin (clipped to the canvas).
    public static func paste(_ patch: Image, into canvas: inout Image, at rect: Rect) {
        let source = patch.channels == canvas.channels ? patch : (canvas.channels == 1 ? patch.grayscale() : patch.bgr())
        let c = canvas.channels
        for y in 0..<source.height {
            let cy = rect.y + y
            guard cy >= 0, cy < canvas.height else { continue }
            for x in 0..<source.width {
                let cx = rect.x + x
                guard cx >= 0, cx < canvas.width else { continue }
                for k in 0..<c { canvas.pixels[(cy * canvas.width + cx) * c + k] = source.pixels[(y * source.width + x) * c + k] }
            }
        }
    }
}
