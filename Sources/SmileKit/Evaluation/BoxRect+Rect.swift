import SmileVision

/// Bridges between the evaluation code's `BoxRect` and SmileVision's `Rect` (same fields, same meaning).
extension BoxRect {
    /// The box of a SmileVision rectangle.
    public init(_ rect: Rect) {
        self.init(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
    }
}

extension Rect {
    /// The rectangle of an evaluation box.
    public init(_ box: BoxRect) {
        self.init(x: box.x, y: box.y, width: box.width, height: box.height)
    }
}
