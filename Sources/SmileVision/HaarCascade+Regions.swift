import CCVShim

extension HaarCascade {
    /// Finds objects in `image` whose raw windows lie inside `regions` (rectangles of the image).
    ///
    /// The pyramid, grouping and clipping are those of `detect(in:parameters:)` on the whole image,
    /// and with our scan engine only windows inside a region are looked at; so a face whose raw
    /// windows all lie well inside a region comes out exactly as the whole-image call gives it, at
    /// a fraction of the cost. With 0 neighbours the raw windows inside the regions come back, in
    /// the whole-image scan's order. With `sides` (one per region), a region holds only windows whose
    /// box width lies in its range. Level weights are not supported (`levelWeights` is ignored).
    public func detect(in image: Image, parameters: Parameters = .init(), regions: [Rect],
                       sides: [ClosedRange<Int>]? = nil) throws -> [Detection] {
        precondition(sides == nil || sides?.count == regions.count, "one side range per region")
        let gray = image.channels == 1 ? image : image.grayscale()
        var out: UnsafeMutablePointer<cvs_detection>?
        var count: Int32 = 0
        try gray.pixels.withUnsafeBufferPointer { px in
            try Self.withRegionArguments(regions, sides) { r, s, n in
                try check(cvs_cascade_detect_regions(handle, px.baseAddress, Int32(gray.width), Int32(gray.height),
                                                     parameters.scaleFactor, Int32(parameters.minNeighbours),
                                                     Int32(parameters.minSize), Int32(parameters.maxSize),
                                                     parameters.equalize ? 1 : 0, r, s, n, &out, &count))
            }
        }
        return Self.detections(out, count)
    }

    /// Calls `body` with the regions as (x, y, width, height) and the sides as (min, max) quadruples and
    /// pairs of Int32, as the shim takes them, and the region count. Nil arrays give nil pointers; an
    /// empty array of regions gives a valid pointer (no region, as against the whole image).
    static func withRegionArguments<R>(_ regions: [Rect]?, _ sides: [ClosedRange<Int>]?,
                                       _ body: (UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) throws -> R) rethrows -> R {
        let flat: [Int32] = (regions ?? []).flatMap { [Int32($0.x), Int32($0.y), Int32($0.width), Int32($0.height)] } + [0]
        let ranges: [Int32] = (sides ?? []).flatMap { [Int32($0.lowerBound), Int32($0.upperBound)] } + [0]
        return try flat.withUnsafeBufferPointer { r in
            try ranges.withUnsafeBufferPointer { s in
                try body(regions == nil ? nil : r.baseAddress, sides == nil ? nil : s.baseAddress, Int32(regions?.count ?? 0))
            }
        }
    }
}
