import Foundation
import SmileNN
import SmileVision

/// Random damage of the kinds real photos do to a face: few pixels, blur, JPEG blocks, sensor
/// noise, odd exposure, and things in front of the face.
///
/// Applied to the warped training crop at the model's input size, after the geometric
/// augmentation and before normalisation, so that a 30 px face in a phone snapshot looks to the
/// network like the crops it learned on. Each kind fires on its own with its probability. The
/// model sees gray pixels, so a colour cast reaches it only as a change of brightness, contrast
/// and gamma, which `gamma` and `Augmentation`'s lighting cover.
public struct PhotoDegradation: Codable, Equatable, Sendable {
    /// Chance of shrinking the face to a random side in `smallestSide...inputSide` (log-uniform) and back.
    public var downscaleProbability: Double
    /// Smallest side, in pixels, the face is shrunk to.
    public var smallestSide: Int
    /// Chance of a Gaussian blur with a sigma up to `maxBlurSigma` pixels.
    public var blurProbability: Double
    public var maxBlurSigma: Double
    /// Chance of a JPEG round trip at a quality in `jpegQuality`.
    public var jpegProbability: Double
    public var jpegQuality: ClosedRange<Int>
    /// Chance of Gaussian noise with a standard deviation up to `maxNoise` gray levels.
    public var noiseProbability: Double
    public var maxNoise: Double
    /// Chance of a gamma change: gamma in `1 / (1 + maxGamma) ... 1 + maxGamma`.
    public var gammaProbability: Double
    public var maxGamma: Double
    /// Chance of an occluding block (a hand, a microphone, sunglasses) away from the mouth.
    public var occlusionProbability: Double

    public init(downscaleProbability: Double, smallestSide: Int, blurProbability: Double, maxBlurSigma: Double,
                jpegProbability: Double, jpegQuality: ClosedRange<Int>, noiseProbability: Double, maxNoise: Double,
                gammaProbability: Double, maxGamma: Double, occlusionProbability: Double) {
        self.downscaleProbability = downscaleProbability
        self.smallestSide = smallestSide
        self.blurProbability = blurProbability
        self.maxBlurSigma = maxBlurSigma
        self.jpegProbability = jpegProbability
        self.jpegQuality = jpegQuality
        self.noiseProbability = noiseProbability
        self.maxNoise = maxNoise
        self.gammaProbability = gammaProbability
        self.maxGamma = maxGamma
        self.occlusionProbability = occlusionProbability
    }

    /// The `real-photo` augmentation's damage: each kind on about a quarter to a third of the crops.
    public static let realPhoto = PhotoDegradation(
        downscaleProbability: 0.3, smallestSide: 14, blurProbability: 0.2, maxBlurSigma: 1.5,
        jpegProbability: 0.3, jpegQuality: 15...85, noiseProbability: 0.25, maxNoise: 10,
        gammaProbability: 0.3, maxGamma: 0.6, occlusionProbability: 0.15)

    /// `image` (gray, square) with a random selection of the damage applied.
    public func apply(to image: Image, rng: inout SeededRandom) -> Image {
        var out = image
        let side = image.width
        if Double(rng.uniform()) < downscaleProbability, smallestSide < side {
            let t = Double(rng.uniform())
            let small = max(smallestSide, Int(exp(log(Double(smallestSide)) + t * log(Double(side) / Double(smallestSide)))))
            out = Self.downscaled(out, to: small)
        }
        if Double(rng.uniform()) < blurProbability {
            out = Self.blurred(out, sigma: 0.3 + Double(rng.uniform()) * (maxBlurSigma - 0.3))
        }
        if Double(rng.uniform()) < gammaProbability {
            let exponent = pow(1 + maxGamma, Double(rng.uniform()) * 2 - 1)
            out = Self.gammaCorrected(out, gamma: exponent)
        }
        if Double(rng.uniform()) < occlusionProbability {
            out = Self.occluded(out, rng: &rng)
        }
        if Double(rng.uniform()) < noiseProbability {
            out = Self.noisy(out, sigma: Double(rng.uniform()) * maxNoise, rng: &rng)
        }
        if Double(rng.uniform()) < jpegProbability {
            let quality = jpegQuality.lowerBound + Int(rng.uniform() * Float(jpegQuality.count))
            out = Self.jpegRoundTrip(out, quality: min(quality, jpegQuality.upperBound))
        }
        return out
    }

    /// Shrunk to `small` pixels across (area averaging) and enlarged back (bilinear).
    public static func downscaled(_ image: Image, to small: Int) -> Image {
        let height = max(1, Int((Double(image.height) * Double(small) / Double(image.width)).rounded()))
        return image.resized(width: small, height: height).resized(width: image.width, height: image.height)
    }

    /// Blurred by a separable Gaussian of `sigma` pixels, edges replicated.
    ///
    /// Written here rather than in the OpenCV shim: a few lines over 8-bit gray crops of at most
    /// 128 px, and the shim's surface stays the detector's and the codecs'.
    public static func blurred(_ image: Image, sigma: Double) -> Image {
        precondition(image.channels == 1, "blurred: gray images only")
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let w = image.width, h = image.height
        var horizontal = [Double](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0.0
                for k in -radius...radius { sum += kernel[k + radius] * Double(image.pixels[y * w + min(w - 1, max(0, x + k))]) }
                horizontal[y * w + x] = sum
            }
        }
        var pixels = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0.0
                for k in -radius...radius { sum += kernel[k + radius] * horizontal[min(h - 1, max(0, y + k)) * w + x] }
                pixels[y * w + x] = UInt8(max(0, min(255, sum.rounded())))
            }
        }
        return Image(width: w, height: h, channels: 1, pixels: pixels)
    }

    /// Every pixel v mapped to 255 * (v / 255)^gamma.
    public static func gammaCorrected(_ image: Image, gamma: Double) -> Image {
        let table = (0..<256).map { UInt8(max(0, min(255, (255 * pow(Double($0) / 255, gamma)).rounded()))) }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: image.pixels.map { table[Int($0)] })
    }

    /// Gaussian noise of `sigma` gray levels added to every pixel.
    public static func noisy(_ image: Image, sigma: Double, rng: inout SeededRandom) -> Image {
        var pixels = image.pixels
        for i in pixels.indices {
            pixels[i] = UInt8(max(0, min(255, (Double(pixels[i]) + Double(rng.normal()) * sigma).rounded())))
        }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: pixels)
    }

    /// Where the mouth sits in the model's framing (fractions of the side), which occlusion keeps clear:
    /// hiding the mouth would hide the label.
    static let mouth = (x: 0.30...0.70, y: 0.62...0.90)

    /// A flat block of 15-35% of the side, of a random gray, placed where it does not touch the mouth.
    public static func occluded(_ image: Image, rng: inout SeededRandom) -> Image {
        let w = image.width, h = image.height
        for _ in 0..<8 {
            let bw = Int(Double(w) * (0.15 + 0.2 * Double(rng.uniform()))), bh = Int(Double(h) * (0.15 + 0.2 * Double(rng.uniform())))
            let x0 = Int(rng.uniform() * Float(w - bw)), y0 = Int(rng.uniform() * Float(h - bh))
            let overlapsMouthX = Double(x0 + bw) / Double(w) > mouth.x.lowerBound && Double(x0) / Double(w) < mouth.x.upperBound
            let overlapsMouthY = Double(y0 + bh) / Double(h) > mouth.y.lowerBound && Double(y0) / Double(h) < mouth.y.upperBound
            if overlapsMouthX && overlapsMouthY { continue }
            let value = UInt8(rng.uniform() * 255)
            var pixels = image.pixels
            for y in y0..<(y0 + bh) {
                for x in x0..<(x0 + bw) {
                    for c in 0..<image.channels { pixels[(y * w + x) * image.channels + c] = value }
                }
            }
            return Image(width: w, height: h, channels: image.channels, pixels: pixels)
        }
        return image
    }

    /// Encoded as JPEG at `quality` and decoded again (the image unchanged if the codec fails).
    public static func jpegRoundTrip(_ image: Image, quality: Int) -> Image {
        guard let bytes = try? ImageCodec.encode(image, as: .jpeg(quality: quality)),
              let decoded = try? ImageCodec.decode(data: bytes, gray: image.channels == 1) else { return image }
        return decoded
    }
}
