import Foundation
import CCVShim

/// Geometric and colour transforms; each returns a new image.
extension Image {
    /// Runs a shim transform that reads `self` and writes a new image of the given shape.
    private func transformed(width w: Int, height h: Int, channels c: Int, _ what: StaticString,
                             _ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Int32) -> Image {
        precondition(w > 0 && h > 0, "\(what): target size must be positive, got \(w)x\(h)")
        return pixels.withUnsafeBufferPointer { src in
            Image.make(width: w, height: h, channels: c, { dst in body(src.baseAddress!, dst) }, what)
        }
    }

    /// This image as one-channel gray (a copy if it already is).
    public func grayscale() -> Image {
        transformed(width: width, height: height, channels: 1, "grayscale") {
            cvs_convert($0, Int32(width), Int32(height), Int32(channels), $1, 1)
        }
    }

    /// This image as three-channel BGR (a copy if it already is).
    public func bgr() -> Image {
        transformed(width: width, height: height, channels: 3, "bgr") {
            cvs_convert($0, Int32(width), Int32(height), Int32(channels), $1, 3)
        }
    }

    /// The pixels inside `rect`; parts outside the image repeat the nearest edge pixel.
    public func cropped(to rect: Rect) -> Image {
        croppedResized(to: rect, width: rect.width, height: rect.height)
    }

    /// Scaled to `width` x `height` (area averaging when shrinking, bilinear when enlarging).
    public func resized(width w: Int, height h: Int) -> Image {
        transformed(width: w, height: h, channels: channels, "resized") {
            cvs_resize($0, Int32(width), Int32(height), Int32(channels), $1, Int32(w), Int32(h))
        }
    }

    /// Crop (edge-replicated outside the image) then resize, in one step.
    public func croppedResized(to rect: Rect, width w: Int, height h: Int) -> Image {
        precondition(rect.width > 0 && rect.height > 0, "croppedResized: empty rectangle \(rect)")
        return transformed(width: w, height: h, channels: channels, "croppedResized") {
            cvs_crop_resize($0, Int32(width), Int32(height), Int32(channels),
                            Int32(rect.x), Int32(rect.y), Int32(rect.width), Int32(rect.height),
                            Int32(CVS_BORDER_REPLICATE), 0, $1, Int32(w), Int32(h))
        }
    }

    /// Warped by the 2x3 row-major affine matrix `m` (source -> destination), bilinear, border replicate.
    public func warpedAffine(_ m: [Double], width w: Int, height h: Int) -> Image {
        precondition(m.count == 6, "warpedAffine: the matrix needs 6 numbers, got \(m.count)")
        return m.withUnsafeBufferPointer { mat in
            transformed(width: w, height: h, channels: channels, "warpedAffine") {
                cvs_warp_affine($0, Int32(width), Int32(height), Int32(channels), mat.baseAddress!, $1, Int32(w), Int32(h))
            }
        }
    }

    /// Mirrored left-right.
    public func flippedHorizontally() -> Image {
        transformed(width: width, height: height, channels: channels, "flippedHorizontally") {
            cvs_flip_horizontal($0, Int32(width), Int32(height), Int32(channels), $1)
        }
    }

    /// Histogram-equalised; gray images only.
    public func equalized() -> Image {
        precondition(channels == 1, "equalized: gray images only (convert with grayscale() first)")
        return transformed(width: width, height: height, channels: 1, "equalized") {
            cvs_equalize($0, Int32(width), Int32(height), $1)
        }
    }
}

/// Affine matrices for augmentation and face alignment.
extension Image {
    /// The 2x3 matrix rotating by `degrees` (counter-clockwise on screen) and scaling by `scale` about `center`,
    /// then shifting by (`dx`, `dy`); the same convention as OpenCV's getRotationMatrix2D.
    public static func rotationMatrix(center: (x: Double, y: Double), degrees: Double, scale: Double = 1,
                                      dx: Double = 0, dy: Double = 0) -> [Double] {
        let a = degrees * Double.pi / 180
        let alpha = scale * cos(a), beta = scale * sin(a)
        return [alpha, beta, (1 - alpha) * center.x - beta * center.y + dx,
                -beta, alpha, beta * center.x + (1 - alpha) * center.y + dy]
    }
}
