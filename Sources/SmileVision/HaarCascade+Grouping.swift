import CCVShim

extension HaarCascade {
    /// Groups raw windows into boxes as `detect` does at the end of its scan.
    ///
    /// `raw` are the windows of a `detect` call with 0 neighbours (no grouping) on an image of
    /// `width` x `height`; the result is what that call gives with `minNeighbours` (OpenCV's
    /// `groupRectangles` with eps 0.2, then clipping to the image). Grouping one scan's windows at
    /// two thresholds gives its faces and its weaker clusters without scanning twice. With
    /// `minNeighbours` 0 every cluster comes back, one of a single window included, averaged the same
    /// way (not what `detect` gives with 0, which is the windows themselves).
    public static func group(_ raw: [Detection], minNeighbours: Int, width: Int, height: Int) throws -> [Detection] {
        let windows = raw.map { d in
            cvs_detection(x: Int32(d.rect.x), y: Int32(d.rect.y), width: Int32(d.rect.width), height: Int32(d.rect.height),
                          neighbours: Int32(d.neighbours), weight: d.weight)
        }
        var out: UnsafeMutablePointer<cvs_detection>?
        var count: Int32 = 0
        try windows.withUnsafeBufferPointer { w in
            try check(cvs_group_detections(w.baseAddress, Int32(w.count), Int32(minNeighbours), Int32(width), Int32(height),
                                           &out, &count))
        }
        return detections(out, count)
    }
}
