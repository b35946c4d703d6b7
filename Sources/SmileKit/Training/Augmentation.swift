import Foundation
import SmileNN
import SmileVision

/// Random changes applied to training crops: the study's shift, zoom and flip, plus rotation and lighting.
public struct Augmentation: Codable, Equatable, Sendable {
    /// Largest shift, as a fraction of the crop side (the study: 0.2).
    public var shift: Double
    /// Largest zoom in or out, as a fraction (the study: 0.2 -> scale 0.8...1.2).
    public var zoom: Double
    /// Largest rotation in degrees either way (the study had none and failed on tilted faces).
    public var rotationDegrees: Double
    /// Whether to mirror half of the crops.
    public var horizontalFlip: Bool
    /// Largest brightness change, as a fraction of the normalised range.
    public var brightness: Double
    /// Largest contrast change, as a fraction (0.2 -> contrast 0.8...1.2).
    public var contrast: Double
    /// Damage of the kinds real photos do (low resolution, blur, JPEG, noise, gamma, occlusion), if any.
    public var degradation: PhotoDegradation?

    public init(shift: Double, zoom: Double, rotationDegrees: Double, horizontalFlip: Bool, brightness: Double, contrast: Double,
                degradation: PhotoDegradation? = nil) {
        self.degradation = degradation
        self.shift = shift
        self.zoom = zoom
        self.rotationDegrees = rotationDegrees
        self.horizontalFlip = horizontalFlip
        self.brightness = brightness
        self.contrast = contrast
    }

    /// No change at all: the crop's framing rectangle resized to the input.
    public static let none = Augmentation(shift: 0, zoom: 0, rotationDegrees: 0, horizontalFlip: false, brightness: 0, contrast: 0)
    /// The study's augmentation (shift 0.2, zoom 0.2, flip).
    public static let study = Augmentation(shift: 0.2, zoom: 0.2, rotationDegrees: 0, horizontalFlip: true, brightness: 0, contrast: 0)
    /// The study's, gentler on shift (faces are already centred), plus rotation and lighting: the default.
    public static let standard = Augmentation(shift: 0.08, zoom: 0.15, rotationDegrees: 20, horizontalFlip: true, brightness: 0.2, contrast: 0.25)
    /// `standard` plus the damage real photos do to faces (`PhotoDegradation.realPhoto`).
    public static let realPhoto = Augmentation(shift: 0.08, zoom: 0.15, rotationDegrees: 20, horizontalFlip: true, brightness: 0.2,
                                               contrast: 0.25, degradation: .realPhoto)

    /// The augmentations `smile train --augmentation` names.
    public static let named: [String: Augmentation] = ["standard": .standard, "real-photo": .realPhoto, "study": .study, "none": .none]

    /// The 2x3 affine matrix (source -> destination) taking a stored crop of side `storedSide`,
    /// whose central `storedSide / context` pixels are the framing rectangle, to an `inputSide` crop.
    public func matrix(storedSide: Int, context: Double, inputSide: Int, rng: inout SeededRandom) -> [Double] {
        func symmetric(_ limit: Double) -> Double { limit == 0 ? 0 : (Double(rng.uniform()) * 2 - 1) * limit }
        let scale = Double(inputSide) * context / Double(storedSide) * (1 + symmetric(zoom))
        let angle = symmetric(rotationDegrees) * .pi / 180
        let flip = horizontalFlip && rng.uniform() < 0.5 ? -1.0 : 1.0
        let shiftX = symmetric(shift) * Double(inputSide), shiftY = symmetric(shift) * Double(inputSide)
        let a = scale * cos(angle), b = scale * sin(angle)
        // dst = centreOut + shift + [[a*flip, -b], [b*flip, a]] * (src - centreIn)
        let m00 = a * flip, m01 = -b, m10 = b * flip, m11 = a
        // Pixel centres sit at integer coordinates, so an image of n pixels is centred at (n - 1) / 2.
        let cIn = Double(storedSide - 1) / 2, cOut = Double(inputSide - 1) / 2
        return [m00, m01, cOut + shiftX - (m00 * cIn + m01 * cIn),
                m10, m11, cOut + shiftY - (m10 * cIn + m11 * cIn)]
    }

    /// Writes one augmented, normalised crop into `destination` (`inputSide * inputSide` floats).
    public func apply(_ crop: Image, context: Double, inputSide: Int, mean: Float, std: Float,
                      rng: inout SeededRandom, into destination: UnsafeMutableBufferPointer<Float>) {
        let m = matrix(storedSide: crop.width, context: context, inputSide: inputSide, rng: &rng)
        var warped = crop.warpedAffine(m, width: inputSide, height: inputSide)
        if let degradation { warped = degradation.apply(to: warped, rng: &rng) }
        let gain = Float(1 + (contrast == 0 ? 0 : (Double(rng.uniform()) * 2 - 1) * contrast))
        let offset = Float(brightness == 0 ? 0 : (Double(rng.uniform()) * 2 - 1) * brightness)
        let scale = gain / std
        for i in 0..<(inputSide * inputSide) { destination[i] = (Float(warped.pixels[i]) - mean) * scale + offset }
    }
}
