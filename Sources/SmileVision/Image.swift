/// An 8-bit image held in memory: gray (1 channel) or BGR (3 channels).
///
/// Pixels are stored row by row from the top, channels interleaved, with no
/// row padding, so `pixels.count == width * height * channels`.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// 1 for gray, 3 for BGR.
    public var channels: Int
    /// Row-major interleaved bytes, top row first.
    public var pixels: [UInt8]

    /// Wraps existing pixels; the count must match the size.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "Image: size must be positive, got \(width)x\(height)")
        precondition(channels == 1 || channels == 3, "Image: channels must be 1 or 3, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "Image: \(pixels.count) bytes do not match \(width)x\(height)x\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Creates an image with every byte set to `value`.
    public init(width: Int, height: Int, channels: Int, filledWith value: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: value, count: max(width, 0) * max(height, 0) * channels))
    }

    /// True for one-channel images.
    public var isGray: Bool { channels == 1 }

    /// The byte at column `x`, row `y`, channel `c`.
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }
}
