/// An axis-aligned pixel rectangle: top-left corner plus size.
///
/// Evaluation code depends only on Foundation, so it keeps its own box type;
/// it is bridged to SmileVision's `Rect` elsewhere.
public struct BoxRect: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Left edge in pixels.
    public var x: Int
    /// Top edge in pixels.
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a box from its top-left corner and size.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Area in square pixels (0 for empty or negative sizes).
    public var area: Int { max(0, width) * max(0, height) }

    /// The larger of width and height, used for face-size buckets.
    public var largerSide: Int { max(width, height) }

    /// `x,y widthxheight`, for messages.
    public var description: String { "\(x),\(y) \(width)x\(height)" }
}
