import SmileVision

extension FaceDetector {
    /// The frontal pass's faces whose raw windows lie inside `regions` (original image pixels), largest first.
    ///
    /// The single frontal pass of `detectFaces` (the same working-side shrink, pyramid, equalising
    /// and grouping; the extra passes and the eye check do not run) looking only inside the
    /// regions: a face whose raw windows all lie well inside a region comes out as `detectFaces`
    /// gives it. `minFaceSize` and `maxFaceSize` (original pixels, 0: the settings' own) narrow the
    /// sizes looked for; they drop pyramid levels, never move them. `sides` (one per region, original
    /// pixels) limits the face sizes each region holds.
    public func detectFrontalFaces(in image: Image, regions: [Rect], sides: [ClosedRange<Double>]? = nil,
                                   minFaceSize: Double = 0, maxFaceSize: Double = 0) throws -> [DetectedFace] {
        let (working, scale) = workingCopy(of: image)
        let minFace = max(minimumFaceSide(imageWidth: image.width, imageHeight: image.height), minFaceSize) * scale
        var parameters = frontalParameters(minFace: minFace, scale: scale, working: working)
        if maxFaceSize > 0 {
            let largest = Int((maxFaceSize * scale).rounded(.up))
            parameters.maxSize = parameters.maxSize > 0 ? min(parameters.maxSize, largest) : largest
        }
        // Regions grow outwards to whole working pixels, so they never lose a window.
        let mapped = regions.map { r -> Rect in
            guard scale != 1 else { return r }
            let x0 = Int((Double(r.x) * scale).rounded(.down)), y0 = Int((Double(r.y) * scale).rounded(.down))
            let x1 = Int((Double(r.x + r.width) * scale).rounded(.up)), y1 = Int((Double(r.y + r.height) * scale).rounded(.up))
            return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        }
        let ranges = sides?.map { Int(($0.lowerBound * scale).rounded(.down))...Int(($0.upperBound * scale).rounded(.up)) }
        let faces = try cascade.detect(in: working, parameters: parameters, regions: mapped, sides: ranges).map {
            DetectedFace(box: $0.rect, neighbours: $0.neighbours, pass: .frontal)
        }
        return NonMaximumSuppression.suppressInOrder(Self.unscaled(faces, scale: scale), iouThreshold: settings.nmsIoU)
            .sorted { $0.box.area > $1.box.area }
    }
}
