import Foundation
import SmileVision

/// Image copies a detection pass runs on, and how their boxes map back to the original image.
public enum DetectionGeometry {
    /// The box of a mirrored (left-right flipped) image of width `imageWidth`, in the original image.
    ///
    /// Exact: pixel column `x` of the mirror is column `imageWidth - 1 - x` of the original, so a box
    /// covering columns `x ..< x + w` covers `imageWidth - x - w ..< imageWidth - x` there.
    public static func unmirrored(_ box: Rect, imageWidth: Int) -> Rect {
        Rect(x: imageWidth - box.x - box.width, y: box.y, width: box.width, height: box.height)
    }

    /// A box found in a copy scaled by `factor`, in the original image.
    public static func unscaled(_ box: Rect, factor: Double) -> Rect {
        guard factor != 1 else { return box }
        return Rect(x: Int((Double(box.x) / factor).rounded()), y: Int((Double(box.y) / factor).rounded()),
                    width: Int((Double(box.width) / factor).rounded()), height: Int((Double(box.height) / factor).rounded()))
    }

    /// The map that rotates an image of `width` x `height` by `degrees` (counter-clockwise on screen) about its
    /// centre onto a canvas large enough to hold all of it, and that canvas's size.
    public static func rotation(width: Int, height: Int, degrees: Double) -> (map: AffineMap, width: Int, height: Int) {
        let a = degrees * Double.pi / 180
        let c = abs(cos(a)), s = abs(sin(a))
        // Rounded up, less a hair so that 90 degrees (sin not exactly 1) does not gain a pixel.
        let w = Int((Double(width) * c + Double(height) * s - 1e-6).rounded(.up))
        let h = Int((Double(width) * s + Double(height) * c - 1e-6).rounded(.up))
        // Pixel centres: the image centre is at ((width-1)/2, (height-1)/2).
        let centre = (x: Double(width - 1) / 2, y: Double(height - 1) / 2)
        let m = Image.rotationMatrix(center: centre, degrees: degrees,
                                     dx: Double(w - width) / 2, dy: Double(h - height) / 2)
        return (AffineMap(m), max(1, w), max(1, h))
    }

    /// A box found in a copy made with `map`, in the original image: the box with the mapped-back
    /// centre and the same size (upright; the tilt is carried separately as an angle).
    public static func unmapped(_ box: Rect, from map: AffineMap) -> Rect {
        let centre = (x: Double(box.x) + Double(box.width) / 2 - 0.5, y: Double(box.y) + Double(box.height) / 2 - 0.5)
        let back = map.inverted.apply(centre)
        return Rect(x: Int((back.x + 0.5 - Double(box.width) / 2).rounded()),
                    y: Int((back.y + 0.5 - Double(box.height) / 2).rounded()),
                    width: box.width, height: box.height)
    }
}

extension DetectionGeometry {
    /// The part of `image` inside `rect` turned upright and resized to `width` x `height`: the rectangle
    /// is rotated by `-angle` about its centre first, so a face tilted by `angle` comes out upright.
    /// With angle 0 this is exactly `croppedResized`. Parts outside the image repeat the edge pixels.
    public static func uprightCrop(_ image: Image, rect: Rect, angle: Double, width: Int, height: Int) -> Image {
        guard angle != 0 else { return image.croppedResized(to: rect, width: width, height: height) }
        precondition(rect.width > 0 && rect.height > 0, "uprightCrop: empty rectangle \(rect)")
        let a = -angle * Double.pi / 180
        // Image.rotationMatrix's rotation part for `a`: [cos, sin; -sin, cos].
        let r = [cos(a), sin(a), -sin(a), cos(a)]
        let sx = Double(width) / Double(rect.width), sy = Double(height) / Double(rect.height)
        let c = (x: Double(rect.x) + Double(rect.width) / 2 - 0.5, y: Double(rect.y) + Double(rect.height) / 2 - 0.5)
        let d = (x: Double(width - 1) / 2, y: Double(height - 1) / 2)
        let m = [sx * r[0], sx * r[1], d.x - sx * (r[0] * c.x + r[1] * c.y),
                 sy * r[2], sy * r[3], d.y - sy * (r[2] * c.x + r[3] * c.y)]
        return image.warpedAffine(m, width: width, height: height)
    }
}

extension DetectionGeometry {
    /// The corners (top-left, top-right, bottom-right, bottom-left of the upright face) of `rect` turned
    /// by `angle` degrees (counter-clockwise on screen) about its centre: the outline of a tilted face.
    /// With angle 0 they are the pixel corners `cv::rectangle` draws for `rect`.
    public static func tiltedCorners(of rect: Rect, angle: Double) -> [(x: Double, y: Double)] {
        let centre = (x: Double(rect.x) + Double(rect.width - 1) / 2, y: Double(rect.y) + Double(rect.height - 1) / 2)
        let half = (x: Double(rect.width - 1) / 2, y: Double(rect.height - 1) / 2)
        let map = AffineMap(Image.rotationMatrix(center: centre, degrees: angle))
        return [(-half.x, -half.y), (half.x, -half.y), (half.x, half.y), (-half.x, half.y)].map {
            map.apply((x: centre.x + $0.0, y: centre.y + $0.1))
        }
    }
}
