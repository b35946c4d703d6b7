import Foundation
import SmileVision

/// Detection with YuNet (`--detector yunet`): OpenCV's CNN face detector, run at scales where
/// every face fits its anchors.
///
/// - The photo is shrunk so its longer side is at most `yunetWorkingSide` (its largest anchors
///   are 256 px, so large faces at full resolution split or go unfound).
/// - When that shrinks the photo by more than half, faces of under about 12 px there would be
///   lost, so the photo is also searched at twice that scale in overlapping tiles of the working
///   side; that pass keeps only faces small at the working scale.
/// - Boxes of all passes are merged by `NonMaximumSuppression` (IoU, and overlap over the smaller
///   box), so a face cut by a tile border is found once.
/// - YuNet's boxes are taller than the Haar cascade's squares; each face is mapped, by its box
///   width and landmarks, to the square the Haar cascade draws on the same face (`haarSquare`),
///   so the classifier gets the framing it was trained on.
extension FaceDetector {
    /// Faces found by YuNet in `image`, as squares in the Haar framing, largest first.
    func yunetFaces(in image: Image, yunet: YuNet) throws -> [DetectedFace] {
        let workingSide = settings.yunetWorkingSide
        let scale = yunetScale(of: image)
        var faces = try yunetPass(image, scale: scale, yunet: yunet)
        if settings.yunetFinePass && scale < 0.5 {
            // Small faces: twice the working scale, in tiles of the working side overlapping by a tenth.
            let fine = scale * 2
            let smallest = settings.yunetSmallFace / scale
            let enlarged = image.resized(width: max(1, Int(Double(image.width) * fine)), height: max(1, Int(Double(image.height) * fine)))
            for tile in Self.tiles(width: enlarged.width, height: enlarged.height, side: max(64, workingSide), overlap: max(16, workingSide / 10)) {
                let part = enlarged.cropped(to: tile)
                faces += try yunetPass(part, scale: 1, yunet: yunet).compactMap { face -> DetectedFace? in
                    var f = face
                    f.box = DetectionGeometry.unscaled(Rect(x: face.box.x + tile.x, y: face.box.y + tile.y,
                                                            width: face.box.width, height: face.box.height), factor: fine)
                    f.landmarks = face.landmarks?.map { DetectedFace.Point(x: ($0.x + Double(tile.x)) / fine, y: ($0.y + Double(tile.y)) / fine) }
                    return Double(f.box.width) < smallest ? f : nil
                }
            }
        }
        let minimum = minimumFaceSide(imageWidth: image.width, imageHeight: image.height)
        let kept = NonMaximumSuppression.suppress(faces.filter { Double($0.box.width) >= minimum }, iouThreshold: settings.nmsIoU)
        return kept.sorted { $0.box.area > $1.box.area }
    }

    /// Faces found by YuNet inside `regions` of `image` (each searched on its own at the full pass's
    /// scale, grown to the network's 32 px grid), keeping in each region only the sizes of `sides`
    /// and the faces scoring at least `yunetScore - yunetRegionScoreDrop`: the local search between
    /// a video's full passes.
    public func yunetFaces(in image: Image, regions: [Rect], sides: [ClosedRange<Double>]) throws -> [DetectedFace] {
        guard let yunet else { return [] }
        let bounds = Rect(x: 0, y: 0, width: image.width, height: image.height)
        var faces: [DetectedFace] = []
        let scale = yunetScale(of: image)
        let threshold = max(0.05, settings.yunetScore - settings.yunetRegionScoreDrop)
        for (region, range) in zip(regions, sides) {
            guard let clipped = Self.gridAligned(region, scale: scale).intersection(bounds), clipped.width >= 8, clipped.height >= 8 else { continue }
            let part = image.cropped(to: clipped)
            faces += try yunetPass(part, scale: scale, yunet: yunet, scoreThreshold: threshold).compactMap { face in
                guard range.contains(Double(face.box.width)) else { return nil }
                var f = face
                f.box = Rect(x: face.box.x + clipped.x, y: face.box.y + clipped.y, width: face.box.width, height: face.box.height)
                f.landmarks = face.landmarks?.map { DetectedFace.Point(x: $0.x + Double(clipped.x), y: $0.y + Double(clipped.y)) }
                return f
            }
        }
        return NonMaximumSuppression.suppress(faces, iouThreshold: settings.nmsIoU).sorted { $0.box.area > $1.box.area }
    }

    /// The scale YuNet searches `image` at: its longer side shrunk to `yunetWorkingSide`. The local
    /// search uses it too, so that a face comes out of a region as the full pass gives it.
    func yunetScale(of image: Image) -> Double {
        let longer = max(image.width, image.height)
        return settings.yunetWorkingSide > 0 && longer > settings.yunetWorkingSide ? Double(settings.yunetWorkingSide) / Double(longer) : 1
    }

    /// The face's tilt from its eyes: the angle of the line from the right eye (the image's left) to the
    /// left eye, counter-clockwise on screen positive (the convention of `DetectedFace.angle`), to a tenth of a degree.
    static func eyeLineAngle(_ landmarks: [DetectedFace.Point]) -> Double {
        guard landmarks.count == 5 else { return 0 }
        let dx = landmarks[1].x - landmarks[0].x, dy = landmarks[1].y - landmarks[0].y
        return (atan2(-dy, dx) * 180 / .pi * 10).rounded() / 10
    }

    /// `region` grown outwards so that, shrunk by `scale`, it starts and ends on multiples of 32 px:
    /// the network's coarsest cells then fall where they fall in the full search, and a face comes out
    /// of the region much as the full search gives it.
    static func gridAligned(_ region: Rect, scale: Double) -> Rect {
        let cell = 32 / scale
        let x0 = (Double(region.x) / cell).rounded(.down) * cell, y0 = (Double(region.y) / cell).rounded(.down) * cell
        let x1 = (Double(region.x + region.width) / cell).rounded(.up) * cell, y1 = (Double(region.y + region.height) / cell).rounded(.up) * cell
        return Rect(x: Int(x0.rounded()), y: Int(y0.rounded()), width: Int((x1 - x0).rounded()), height: Int((y1 - y0).rounded()))
    }

    /// The smallest side YuNet is given (see `yunetPass`).
    static let smallestInput = 64

    /// One YuNet pass over `image` shrunk by `scale`: faces in `image` pixels.
    private func yunetPass(_ image: Image, scale: Double, yunet: YuNet, scoreThreshold: Double? = nil) throws -> [DetectedFace] {
        let input = scale == 1 ? image
            : image.resized(width: max(1, Int((Double(image.width) * scale).rounded())), height: max(1, Int((Double(image.height) * scale).rounded())))
        let sx = Double(image.width) / Double(input.width), sy = Double(image.height) / Double(input.height)
        // The network halves its input five times: a side under 64 px leaves its deepest layers nothing to compute on, so
        // a smaller image is extended to 64 px with its edge pixels (its coordinates unchanged).
        let padded = input.width >= Self.smallestInput && input.height >= Self.smallestInput ? input
            : input.cropped(to: Rect(x: 0, y: 0, width: max(Self.smallestInput, input.width), height: max(Self.smallestInput, input.height)))
        return try yunet.detect(in: padded, scoreThreshold: scoreThreshold ?? settings.yunetScore).map { face in
            let box = Self.haarSquare(x: face.x * sx, y: face.y * sy, width: face.width * sx, height: face.height * sy,
                                      landmarks: face.landmarks.map { (x: $0.x * sx, y: $0.y * sy) })
            let landmarks = face.landmarks.map { DetectedFace.Point(x: $0.x * sx, y: $0.y * sy) }
            return DetectedFace(box: box, angle: settings.yunetAlign ? Self.eyeLineAngle(landmarks) : 0,
                                neighbours: Int((face.score * 100).rounded()), pass: .yunet, score: face.score, landmarks: landmarks)
        }
    }

    /// How a YuNet face maps to the Haar cascade's square on the same face: the square's centre is
    /// the landmarks' centre (halfway between the eyes' midpoint and the mouth corners' midpoint)
    /// shifted by these fractions of YuNet's box width, its side this fraction of that width.
    /// Fitted on the faces both detectors find in the project's test photos (`bench/fit-yunet-box.py`:
    /// median IoU with the Haar box 0.86, against 0.84 about the box's own centre).
    static let yunetToHaar = (dx: 0.006, dy: -0.085, side: 1.183)

    /// The Haar-framed square for YuNet's face (box x, y, width, height and landmarks, as YuNet orders them).
    static func haarSquare(x: Double, y: Double, width: Double, height: Double, landmarks: [(x: Double, y: Double)]) -> Rect {
        let m = yunetToHaar
        var centre = (x: x + width / 2, y: y + height / 2)
        if landmarks.count == 5 {
            centre = (x: ((landmarks[0].x + landmarks[1].x) / 2 + (landmarks[3].x + landmarks[4].x) / 2) / 2,
                      y: ((landmarks[0].y + landmarks[1].y) / 2 + (landmarks[3].y + landmarks[4].y) / 2) / 2)
        }
        let cx = centre.x + m.dx * width, cy = centre.y + m.dy * width
        let side = max(1, m.side * width)
        return Rect(x: Int((cx - side / 2).rounded()), y: Int((cy - side / 2).rounded()), width: Int(side.rounded()), height: Int(side.rounded()))
    }

    /// Tiles of at most `side` x `side` covering a `width` x `height` image, neighbours overlapping by `overlap`.
    static func tiles(width: Int, height: Int, side: Int, overlap: Int) -> [Rect] {
        func starts(_ length: Int) -> [Int] {
            guard length > side else { return [0] }
            let step = side - overlap
            var result = Array(stride(from: 0, to: length - side, by: step))
            result.append(length - side)
            return result
        }
        return starts(height).flatMap { y in starts(width).map { x in Rect(x: x, y: y, width: min(side, width), height: min(side, height)) } }
    }
}
