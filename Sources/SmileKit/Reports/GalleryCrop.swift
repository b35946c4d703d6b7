import Foundation
import SmileVision

/// Small JPEG thumbnails for the report's gallery of misclassified faces.
enum GalleryCrop {
    /// Longest side of a thumbnail, in pixels.
    static let side = 128

    /// `rect` of `image` (edge-replicated outside it), scaled so its longer side is `side`, as JPEG.
    static func jpeg(of image: Image, rect: Rect) -> Data {
        let scale = Double(side) / Double(max(rect.width, rect.height))
        let w = max(1, Int((Double(rect.width) * scale).rounded()))
        let h = max(1, Int((Double(rect.height) * scale).rounded()))
        let thumb = image.croppedResized(to: rect, width: w, height: h)
        return (try? Data(ImageCodec.encode(thumb, as: .jpeg(quality: 85)))) ?? Data()
    }

    /// The whole image as a thumbnail.
    static func jpeg(of image: Image) -> Data {
        jpeg(of: image, rect: Rect(x: 0, y: 0, width: image.width, height: image.height))
    }
}
