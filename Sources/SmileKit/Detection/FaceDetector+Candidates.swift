import SmileVision

extension FaceDetector {
    /// The faces of `detectFaces`, and the weaker clusters of raw windows from the same scan.
    ///
    /// `candidates` are the boxes the frontal pass would keep with `candidateNeighbours` neighbours
    /// (0: every cluster, a single raw window included; see `HaarCascade.group`) and that overlap no
    /// face (IoU 0.3): places where a face nearly passed, which a face in the next frame often does.
    /// Only the single frontal pass gives candidates: with extra passes or the eye check, `faces`
    /// are those of `detectFaces` and `candidates` is empty.
    /// The faces equal `detectFaces(in:)`'s: both groupings are of the one scan's raw windows.
    public func detectFaces(in image: Image, candidateNeighbours: Int) throws -> (faces: [DetectedFace], candidates: [DetectedFace]) {
        guard candidateNeighbours >= 0, candidateNeighbours < settings.minNeighbours, settings.isSinglePass else {
            return (try detectFaces(in: image), [])
        }
        let (working, scale) = workingCopy(of: image)
        let minFace = minimumFaceSide(imageWidth: image.width, imageHeight: image.height) * scale
        let raw = try frontalRawWindows(in: working, parameters: frontalParameters(minFace: minFace, scale: scale, working: working))
        func grouped(_ neighbours: Int) throws -> [DetectedFace] {
            let boxes = try HaarCascade.group(raw, minNeighbours: neighbours, width: working.width, height: working.height)
            let faces = boxes.map { DetectedFace(box: $0.rect, neighbours: $0.neighbours, pass: .frontal) }
            return Self.unscaled(faces, scale: scale).sorted { $0.box.area > $1.box.area }
        }
        let faces = NonMaximumSuppression.suppressInOrder(try grouped(settings.minNeighbours), iouThreshold: settings.nmsIoU)
        let weaker = try grouped(candidateNeighbours).filter { candidate in
            !faces.contains { $0.box.intersectionOverUnion(candidate.box) >= 0.3 }
        }
        return (faces, weaker)
    }
}
