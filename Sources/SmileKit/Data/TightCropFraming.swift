import SmileVision

/// Measures where the run-time detector puts its box on a data set of tight face crops.
///
/// A tight crop has no room around the face for the detector, so each sample crop is padded
/// into a canvas three times its size (edge pixels replicated), upscaled to at least 96 px
/// across, and the detector's box nearest the centre is taken relative to the crop. The median
/// over the sample is the box every crop of that set is framed by, so that training crops match
/// what the pipeline cuts around a detected face.
public enum TightCropFraming {
    /// The measurement: the median box and how many sample crops gave a detection.
    public struct Measurement: Sendable {
        public var box: RelativeBox
        public var detected: Int
        public var sampled: Int
        /// Median IoU between each crop's own detection and the median box.
        public var medianAgreement: Double
    }

    /// The detector box relative to a tight crop, or nil when the detector finds none.
    public static func detectedBox(in crop: Image, detector: FaceDetector) throws -> RelativeBox? {
        let upscale = max(1, Int((96.0 / Double(min(crop.width, crop.height))).rounded(.up)))
        let width = crop.width * upscale, height = crop.height * upscale
        let canvas = crop.grayscale().croppedResized(to: Rect(x: -crop.width, y: -crop.height, width: 3 * crop.width, height: 3 * crop.height),
                                                     width: 3 * width, height: 3 * height)
        let boxes = try detector.detect(in: canvas)
        let centre = (x: 1.5 * Double(width), y: 1.5 * Double(height))
        guard let box = boxes.min(by: { distance($0, centre) < distance($1, centre) }) else { return nil }
        let inCrop = Rect(x: box.x - width, y: box.y - height, width: box.width, height: box.height)
        guard distance(box, centre) < Double(width) / 3 else { return nil }
        return RelativeBox(inCrop, inWidth: width, height: height)
    }

    private static func distance(_ box: Rect, _ point: (x: Double, y: Double)) -> Double {
        let dx = Double(box.x) + Double(box.width) / 2 - point.x, dy = Double(box.y) + Double(box.height) / 2 - point.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Measures the median detector box over up to `sampleSize` crops (evenly spaced through `faces`).
    public static func measure(_ faces: [LabelledFace], detector: FaceDetector, sampleSize: Int = 400) throws -> Measurement? {
        guard !faces.isEmpty else { return nil }
        let step = max(1, faces.count / sampleSize)
        var boxes: [RelativeBox] = []
        var sampled = 0
        for index in stride(from: 0, to: faces.count, by: step) {
            sampled += 1
            guard let crop = try? ImageCodec.decode(file: faces[index].path, gray: true) else { continue }
            if let box = try detectedBox(in: crop, detector: detector) { boxes.append(box) }
        }
        guard let median = RelativeBox.median(boxes) else { return nil }
        let reference = median.rect(width: 1000, height: 1000)
        let agreement = boxes.map { $0.rect(width: 1000, height: 1000).intersectionOverUnion(reference) }.sorted()
        return Measurement(box: median, detected: boxes.count, sampled: sampled, medianAgreement: agreement[agreement.count / 2])
    }
}
