import CCVShim

/// Drawing annotations in place.
extension Image {
    /// Draws the outline of `rect` in a BGR colour (gray images get its luminance).
    public mutating func drawRectangle(_ rect: Rect, color: (b: UInt8, g: UInt8, r: UInt8), thickness: Int) {
        guard rect.width > 0, rect.height > 0 else { return }
        let (w, h, c) = (Int32(width), Int32(height), Int32(channels))
        pixels.withUnsafeMutableBufferPointer { px in
            mustSucceed(cvs_draw_rectangle(px.baseAddress, w, h, c, Int32(rect.x), Int32(rect.y),
                                           Int32(rect.width), Int32(rect.height),
                                           color.b, color.g, color.r, Int32(thickness)), "drawRectangle")
        }
    }

    /// Draws the closed outline through `points` (at least two) in a BGR colour (gray images get its luminance).
    public mutating func drawPolygon(_ points: [(x: Int, y: Int)], color: (b: UInt8, g: UInt8, r: UInt8), thickness: Int) {
        guard points.count >= 2 else { return }
        let xy = points.flatMap { [Int32($0.x), Int32($0.y)] }
        let (w, h, c) = (Int32(width), Int32(height), Int32(channels))
        pixels.withUnsafeMutableBufferPointer { px in
            mustSucceed(cvs_draw_polygon(px.baseAddress, w, h, c, xy, Int32(points.count),
                                         color.b, color.g, color.r, Int32(thickness)), "drawPolygon")
        }
    }

    /// Draws `text` on a filled box of `color` with black or white lettering, whichever reads better.
    ///
    /// `at` is the bottom-left corner of the box; the box is moved inside the image when it would stick out.
    public mutating func drawLabel(_ text: String, at: (x: Int, y: Int), color: (b: UInt8, g: UInt8, r: UInt8), scale: Double) {
        let (w, h, c) = (Int32(width), Int32(height), Int32(channels))
        pixels.withUnsafeMutableBufferPointer { px in
            mustSucceed(cvs_draw_label(px.baseAddress, w, h, c, text, Int32(at.x), Int32(at.y),
                                       color.b, color.g, color.r, scale), "drawLabel")
        }
    }
}
