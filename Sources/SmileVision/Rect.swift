/// An axis-aligned rectangle in pixel coordinates (origin top-left): a detector's box, a labelled
/// face's box in an evaluation set, a crop.
public struct Rect: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Left edge.
    public var x: Int
    /// Top edge.
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Width times height (0 for empty or negative sizes).
    public var area: Int { max(width, 0) * max(height, 0) }

    /// The larger of width and height (face-size buckets).
    public var largerSide: Int { max(width, height) }

    /// `x,y widthxheight`, for messages.
    public var description: String { "\(x),\(y) \(width)x\(height)" }

    /// The overlap with `other`, or nil when they do not overlap.
    public func intersection(_ other: Rect) -> Rect? {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(x + width, other.x + other.width), y1 = min(y + height, other.y + other.height)
        guard x1 > x0, y1 > y0 else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Intersection area over union area, in 0...1 (0 when both are empty).
    public func intersectionOverUnion(_ other: Rect) -> Double {
        let inter = intersection(other)?.area ?? 0
        let union = area + other.area - inter
        return union > 0 ? Double(inter) / Double(union) : 0
    }
}
