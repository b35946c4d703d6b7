import CCVShim

extension HaarCascade {
    /// Finds objects in `image` whose raw windows lie inside `regions` (rectangles of the image).
    ///
    /// The pyramid, grouping and clipping are those of `detect(in:parameters:)` on the whole image,
    /// and with our scan engine only windows inside a region are looked at; so a face whose raw
    /// windows all lie well inside a region comes out exactly as the whole-image call gives it, at
    /// a fraction of the cost. With 0 neighbours the raw windows inside the regions come back, in
    /// the whole-image scan's order. Level weights are not supported (`levelWeights` is ignored).
    public func detect(in image: Image, parameters: Parameters = .init(), regions: [Rect]) throws -> [Detection] {
        let gray = image.channels == 1 ? image : image.grayscale()
        let flat = regions.flatMap { [Int32($0.x), Int32($0.y), Int32($0.width), Int32($0.height)] }
        var out: UnsafeMutablePointer<cvs_detection>?
        var count: Int32 = 0
        try gray.pixels.withUnsafeBufferPointer { px in
            try flat.withUnsafeBufferPointer { r in
                try check(cvs_cascade_detect_regions(handle, px.baseAddress, Int32(gray.width), Int32(gray.height),
                                                     parameters.scaleFactor, Int32(parameters.minNeighbours),
                                                     Int32(parameters.minSize), Int32(parameters.maxSize),
                                                     parameters.equalize ? 1 : 0, r.baseAddress, Int32(regions.count),
                                                     &out, &count))
            }
        }
        return Self.detections(out, count)
    }
}
