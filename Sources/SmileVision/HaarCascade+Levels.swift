import CCVShim

extension HaarCascade {
    /// A selection of pyramid levels: those whose index (0: the first level scanned) is `phase` modulo `every`.
    public struct PyramidLevels: Sendable, Equatable {
        public var every: Int
        public var phase: Int
        public init(every: Int, phase: Int) {
            precondition(every >= 1 && (0..<every).contains(phase), "phase must lie in 0..<every")
            self.every = every
            self.phase = phase
        }
        /// Every level.
        public static let all = PyramidLevels(every: 1, phase: 0)
        /// Levels 0, 2, 4, ...
        public static let even = PyramidLevels(every: 2, phase: 0)
        /// Levels 1, 3, 5, ...
        public static let odd = PyramidLevels(every: 2, phase: 1)
    }

    /// The raw windows (before grouping) of the pass `parameters` describe, on the chosen pyramid
    /// levels only, in the whole image or (with `regions`) only inside the regions.
    ///
    /// The levels, windows and their order are the whole pass's (`minNeighbours` is ignored):
    /// `.even` and `.odd` together give exactly the pass's raw windows, and `group` turns them into
    /// its boxes. `sides` (one per region) limits the box widths a region holds, as in
    /// `detect(in:parameters:regions:sides:)`. Throws `.invalidArgument` with OpenCV's scan engine
    /// unless every level is asked for.
    public func rawWindows(in image: Image, parameters: Parameters = .init(), levels: PyramidLevels,
                           regions: [Rect]? = nil, sides: [ClosedRange<Int>]? = nil) throws -> [Detection] {
        precondition(sides == nil || sides?.count == regions?.count, "one side range per region")
        let gray = image.channels == 1 ? image : image.grayscale()
        var out: UnsafeMutablePointer<cvs_detection>?
        var count: Int32 = 0
        try gray.pixels.withUnsafeBufferPointer { px in
            try Self.withRegionArguments(regions, sides) { r, s, n in
                try check(cvs_cascade_raw_windows(handle, px.baseAddress, Int32(gray.width), Int32(gray.height),
                                                  parameters.scaleFactor, Int32(parameters.minSize), Int32(parameters.maxSize),
                                                  parameters.equalize ? 1 : 0, Int32(levels.every), Int32(levels.phase),
                                                  r, s, n, &out, &count))
            }
        }
        return Self.detections(out, count)
    }
}
