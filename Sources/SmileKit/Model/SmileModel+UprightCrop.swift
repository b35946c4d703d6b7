import SmileVision

extension SmileModel {
    /// Frames `box` as the model was trained, turned upright for a face tilted by `angle` degrees
    /// (counter-clockwise positive), and resized to the input size; angle 0 is `crop(_:around:)`.
    public func crop(_ image: Image, around box: Rect, angle: Double) -> Image {
        let (_, height, width) = metadata.inputShape
        return DetectionGeometry.uprightCrop(image, rect: metadata.framing.cropRect(around: box), angle: angle,
                                             width: width, height: height)
    }
}
