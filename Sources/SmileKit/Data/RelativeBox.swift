import SmileVision

/// A box given as fractions of an image's width and height, so it applies to any size of that image.
public struct RelativeBox: Codable, Equatable, Sendable, CustomStringConvertible {
    public var x: Double, y: Double, width: Double, height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `box` as fractions of a `width` x `height` image.
    public init(_ box: Rect, inWidth width: Int, height: Int) {
        self.init(x: Double(box.x) / Double(width), y: Double(box.y) / Double(height),
                  width: Double(box.width) / Double(width), height: Double(box.height) / Double(height))
    }

    /// The box in pixels of a `width` x `height` image.
    public func rect(width: Int, height: Int) -> Rect {
        Rect(x: Int((x * Double(width)).rounded()), y: Int((y * Double(height)).rounded()),
             width: max(1, Int((self.width * Double(width)).rounded())), height: max(1, Int((self.height * Double(height)).rounded())))
    }

    /// The element-wise median of `boxes` (nil when empty).
    public static func median(_ boxes: [RelativeBox]) -> RelativeBox? {
        guard !boxes.isEmpty else { return nil }
        func mid(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return RelativeBox(x: mid(boxes.map(\.x)), y: mid(boxes.map(\.y)), width: mid(boxes.map(\.width)), height: mid(boxes.map(\.height)))
    }

    public var description: String {
        func f(_ v: Double) -> String { String(format: "%.3f", v) }
        return "x \(f(x)) y \(f(y)) w \(f(width)) h \(f(height))"
    }
}
