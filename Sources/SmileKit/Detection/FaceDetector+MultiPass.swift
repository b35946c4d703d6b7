import SmileVision

/// The detection passes and how they are merged.
///
/// All passes run on a gray working copy (shrunk to `maxWorkingSide`):
/// - frontal: the frontal cascade on the working copy (the original detector);
/// - upsampled: the frontal cascade on a copy enlarged by `upsample`, looking only for faces up to
///   `upsampleMaxFace` px, so faces down to 24 / `upsample` px are found;
/// - rotated: for each tilt t in `angles`, the frontal cascade on the copy rotated by -t (on a canvas
///   that holds all of it); each box goes back to the original as its centre mapped back and its size,
///   with angle t;
/// - profile: the profile cascade on the copy and on its mirror (boxes mirrored back).
/// With more than the frontal pass, the boxes are merged by `NonMaximumSuppression` (best-supported
/// box kept); a face kept from a rotated pass gets the neighbour-weighted mean angle of the frontal,
/// rotated and upsampled boxes merged into it, so a face between two pass angles gets an angle
/// between them. The eye check then drops faces without an eye.
extension FaceDetector {
    /// Faces in `image` coordinates, largest first.
    public func detectFaces(in image: Image) throws -> [DetectedFace] {
        if let yunet { return try yunetFaces(in: image, yunet: yunet) }
        let (working, scale) = workingCopy(of: image)
        let minFace = minimumFaceSide(imageWidth: image.width, imageHeight: image.height) * scale
        let parameters = frontalParameters(minFace: minFace, scale: scale, working: working)

        // Boxes in working-copy pixels.
        var faces = try frontalDetections(in: working, parameters: parameters).map {
            DetectedFace(box: $0.rect, neighbours: $0.neighbours, pass: .frontal)
        }
        let upsample = max(settings.upsample, minFace > 0 && minFace < 24 ? 24 / minFace : 1)
        var extraPasses = false
        if upsample > 1 {
            extraPasses = true
            let big = working.resized(width: max(1, Int((Double(working.width) * upsample).rounded())),
                                      height: max(1, Int((Double(working.height) * upsample).rounded())))
            var p = parameters
            p.minSize = Int((minFace * upsample).rounded())
            let largest = settings.maxFaceSize > 0 ? min(settings.upsampleMaxFace, settings.maxFaceSize) : settings.upsampleMaxFace
            p.maxSize = Int((Double(largest) * scale * upsample).rounded())
            faces += try cascade.detect(in: big, parameters: p).map {
                DetectedFace(box: DetectionGeometry.unscaled($0.rect, factor: upsample), neighbours: $0.neighbours, pass: .upsampled)
            }
        }
        for tilt in settings.angles where tilt != 0 {
            extraPasses = true
            let (map, w, h) = DetectionGeometry.rotation(width: working.width, height: working.height, degrees: -tilt)
            let rotated = working.warpedAffine(map.m, width: w, height: h)
            faces += try cascade.detect(in: rotated, parameters: parameters).map {
                DetectedFace(box: DetectionGeometry.unmapped($0.rect, from: map), angle: tilt, neighbours: $0.neighbours, pass: .rotated)
            }
        }
        if let profileCascade, settings.profile {
            extraPasses = true
            faces += try profileCascade.detect(in: working, parameters: parameters).map {
                DetectedFace(box: $0.rect, neighbours: $0.neighbours, pass: .profile)
            }
            faces += try profileCascade.detect(in: working.flippedHorizontally(), parameters: parameters).map {
                DetectedFace(box: DetectionGeometry.unmirrored($0.rect, imageWidth: working.width),
                             neighbours: $0.neighbours, pass: .profileMirrored)
            }
        }
        // One box per face: across passes, and within the frontal pass for two boxes of one face.
        faces = extraPasses ? merged(faces)
            : NonMaximumSuppression.suppressInOrder(faces, iouThreshold: settings.nmsIoU)
        if let eyeCascade, settings.eyeCheck {
            faces = try faces.filter { try Self.hasEye($0, in: working, eyeCascade: eyeCascade) }
        }
        return Self.unscaled(faces, scale: scale).sorted { $0.box.area > $1.box.area }
    }

    /// The gray image detection runs on (shrunk so its longer side is at most `maxWorkingSide`)
    /// and its scale from the original.
    func workingCopy(of image: Image) -> (working: Image, scale: Double) {
        let gray = image.channels == 1 ? image : image.grayscale()
        let longer = max(image.width, image.height)
        guard settings.maxWorkingSide > 0, longer > settings.maxWorkingSide else { return (gray, 1) }
        let scale = Double(settings.maxWorkingSide) / Double(longer)
        return (gray.resized(width: max(1, Int(Double(image.width) * scale)), height: max(1, Int(Double(image.height) * scale))), scale)
    }

    /// The frontal pass's cascade parameters on `working`, a working copy at `scale` (`minFace` in its pixels).
    func frontalParameters(minFace: Double, scale: Double, working: Image) -> HaarCascade.Parameters {
        var parameters = HaarCascade.Parameters()
        parameters.scaleFactor = settings.scaleFactor
        parameters.minNeighbours = settings.minNeighbours
        parameters.equalize = equalizes(working)
        parameters.minSize = Int(minFace.rounded())
        parameters.maxSize = Int((Double(settings.maxFaceSize) * scale).rounded())
        return parameters
    }

    /// Faces from working-copy pixels back to the original's (truncating, as the original detector did).
    static func unscaled(_ faces: [DetectedFace], scale: Double) -> [DetectedFace] {
        guard scale != 1 else { return faces }
        return faces.map { face in
            var f = face
            let r = face.box
            f.box = Rect(x: Int(Double(r.x) / scale), y: Int(Double(r.y) / scale),
                         width: Int(Double(r.width) / scale), height: Int(Double(r.height) / scale))
            return f
        }
    }

    /// The smallest face side wanted, in original pixels (0: no limit).
    public func minimumFaceSide(imageWidth: Int, imageHeight: Int) -> Double {
        max(Double(settings.minFaceSize), settings.minFaceFraction * Double(min(imageWidth, imageHeight)))
    }

    /// NMS over all passes, with the angle of rotated faces refined from the boxes merged into them.
    func merged(_ faces: [DetectedFace]) -> [DetectedFace] {
        let frontalFamily: Set<DetectedFace.Pass> = [.frontal, .upsampled, .rotated]
        return NonMaximumSuppression.clusters(faces, iouThreshold: settings.nmsIoU).map { (cluster) -> DetectedFace in
            var kept = faces[cluster.kept]
            guard kept.pass == .rotated else { return kept }
            var total = 0.0, sum = 0.0
            for i in cluster.members where frontalFamily.contains(faces[i].pass) {
                let weight = Double(max(1, faces[i].neighbours))
                total += weight
                sum += weight * faces[i].angle
            }
            kept.angle = sum / total
            return kept
        }
    }

    /// Whether the eye cascade finds an eye in the upper part of the upright face.
    static func hasEye(_ face: DetectedFace, in gray: Image, eyeCascade: HaarCascade) throws -> Bool {
        let side = 96
        let upright = DetectionGeometry.uprightCrop(gray, rect: face.box, angle: face.angle, width: side, height: side)
        let upper = upright.cropped(to: Rect(x: 0, y: 0, width: side, height: side * 6 / 10))
        var p = HaarCascade.Parameters()
        p.scaleFactor = 1.1
        p.minNeighbours = 3
        p.minSize = side / 8
        p.maxSize = side / 2
        return try !eyeCascade.detect(in: upper, parameters: p).isEmpty
    }
}
