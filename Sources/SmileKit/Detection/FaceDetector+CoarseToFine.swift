import SmileVision

/// The frontal pass searched coarse to fine: every second pyramid level in full, the levels
/// between only around what those found.
///
/// A face that the full pass keeps is a cluster of raw windows (at least `minNeighbours` + 1) over
/// several neighbouring levels, so it nearly always has windows on the odd levels (1, 3, 5, ...)
/// too. Those are scanned in full; the even levels (0, the smallest faces, 2, 4, ...) only in
/// regions around the odd levels' raw windows: each window grown by `refineMargin` of its side on
/// every side, at sizes within `refineSizeTolerance` of its own (1.5 reaches the levels one and
/// three steps away). Both halves come from the full pass's own pyramid and windows
/// (`HaarCascade.rawWindows`), so a face whose even-level windows all lie in those regions is
/// grouped from exactly the windows the full pass groups, and comes out identical.
/// - Cost: the odd levels hold about 45% of the pass's windows (level 0 alone 17%); the regions add
///   little. One 1024x768 group photo: 0.66 of the full pass's instructions (valgrind); per photo
///   on realworld/, a median 0.55-0.61 of its time (`smile-bench photos --compare-full`).
/// - Faces: the same on realworld/groups (438), voc_boxes (65) and portraits (17), a few boxes a
///   pixel or two apart; on video frames taken as photos, 518 of facenet's 519 and all 362 of
///   hamilton's. Searching odd levels only around even ones lost more (level 0 then had no full
///   scan), and every third or fourth level in full lost 1-5% on hamilton.
/// Candidates between video full passes come from these windows too, and there are fewer of them,
/// so video counts single windows as candidates (see `VideoFaceDetector.Settings.candidateNeighbours`).
extension FaceDetector {
    /// How the frontal pass searches the image pyramid.
    public enum PyramidSearch: String, CaseIterable, Sendable {
        /// Every window of every level, as OpenCV's detectMultiScale.
        case full
        /// Odd levels in full, even levels only around the odd levels' raw windows.
        case coarseToFine = "coarse-to-fine"
    }

    /// Whether the frontal pass searches coarse to fine (asked for, and our scan engine to do it).
    var searchesCoarseToFine: Bool { settings.pyramidSearch == .coarseToFine && cascade.scanEngine != .opencv }

    /// The frontal pass's raw windows (working-copy pixels, before grouping) as `pyramidSearch` finds them.
    ///
    /// With OpenCV's scan engine, or `.full`, these are the full pass's windows.
    func frontalRawWindows(in working: Image, parameters: HaarCascade.Parameters) throws -> [Detection] {
        var raw = parameters
        raw.minNeighbours = 0
        guard searchesCoarseToFine else {
            return try cascade.detect(in: working, parameters: raw)
        }
        // Equalise once for both halves (the same as the pass's own equalising).
        let gray = raw.equalize ? working.equalized() : working
        raw.equalize = false
        let coarse = try cascade.rawWindows(in: gray, parameters: raw, levels: .odd)
        guard !coarse.isEmpty else { return [] }
        let areas = refinementAreas(around: coarse.map(\.rect), width: gray.width, height: gray.height)
        let fine = try cascade.rawWindows(in: gray, parameters: raw, levels: .even, regions: areas.map(\.region),
                                          sides: areas.map(\.sides))
        return coarse + fine
    }

    /// The frontal pass's boxes (working-copy pixels) grouped at `minNeighbours`, searched as `pyramidSearch` says.
    func frontalDetections(in working: Image, parameters: HaarCascade.Parameters) throws -> [Detection] {
        guard searchesCoarseToFine else {
            return try cascade.detect(in: working, parameters: parameters)
        }
        let raw = try frontalRawWindows(in: working, parameters: parameters)
        return try HaarCascade.group(raw, minNeighbours: parameters.minNeighbours, width: working.width, height: working.height)
    }

    /// The regions (clipped to the image) and box widths the even levels are scanned at, one per raw window.
    func refinementAreas(around windows: [Rect], width: Int, height: Int) -> [(region: Rect, sides: ClosedRange<Int>)] {
        let image = Rect(x: 0, y: 0, width: width, height: height)
        let tolerance = settings.refineSizeTolerance
        return windows.map { w in
            let grow = Int((Double(w.width) * settings.refineMargin).rounded(.up))
            let region = Rect(x: w.x - grow, y: w.y - grow, width: w.width + 2 * grow, height: w.height + 2 * grow)
            let sides = Int((Double(w.width) / tolerance).rounded(.down))...Int((Double(w.width) * tolerance).rounded(.up))
            return (region.intersection(image) ?? w, sides)
        }
    }
}
