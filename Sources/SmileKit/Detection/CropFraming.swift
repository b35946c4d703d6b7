import SmileVision

/// How a face crop is framed around a detector box, shared by training and run time.
///
/// The crop is a square centred on the detector box (shifted down by `verticalShift` box
/// heights), with side `box side * (1 + 2 * margin)`. Training crops and run-time crops use the
/// same framing, so a model sees faces at run time as it saw them in training.
public struct CropFraming: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Extra context on each side, as a fraction of the detector box side.
    public var margin: Double
    /// Downward shift of the crop centre, as a fraction of the box side (negative: up).
    public var verticalShift: Double

    public init(margin: Double, verticalShift: Double = 0) {
        self.margin = margin
        self.verticalShift = verticalShift
    }

    /// The crop rectangle for a detector box; it may extend past the image (crops pad it).
    public func cropRect(around box: Rect) -> Rect {
        let side = Double(max(box.width, box.height)) * (1 + 2 * margin)
        let centreX = Double(box.x) + Double(box.width) / 2
        let centreY = Double(box.y) + Double(box.height) / 2 + verticalShift * Double(box.height)
        let s = max(1, Int(side.rounded()))
        return Rect(x: Int((centreX - side / 2).rounded()), y: Int((centreY - side / 2).rounded()), width: s, height: s)
    }

    public var description: String { "margin \(margin), vertical shift \(verticalShift)" }
}
