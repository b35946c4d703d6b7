import CCVShim

/// Decoding and encoding of image files (JPEG, PNG and the other formats OpenCV reads).
public enum ImageCodec {
    /// An output format for `encode`.
    public enum Format: Sendable, Equatable {
        /// Baseline JPEG with quality 0...100.
        case jpeg(quality: Int)
        /// Lossless PNG.
        case png
    }

    /// Decodes an image file to BGR (or gray), EXIF orientation applied.
    ///
    /// 16-bit and alpha images are converted to 8 bits without alpha. The header
    /// is checked first: files declaring more than `maxPixels` pixels throw
    /// `.tooLarge` before their pixels are allocated. Other failures throw
    /// `.fileNotFound`, `.unreadable`, `.emptyFile`, `.unsupported` (not an image)
    /// or `.corrupt` (damaged or truncated).
    public static func decode(file path: String, gray: Bool = false, maxPixels: Int = 250_000_000) throws -> Image {
        var raw = cvs_image()
        try check(cvs_decode_file(path, gray ? 1 : 0, Int64(maxPixels), &raw))
        return Image(taking: raw)
    }

    /// Decodes an encoded image held in memory; see `decode(file:gray:maxPixels:)`.
    public static func decode(data: [UInt8], gray: Bool = false, maxPixels: Int = 250_000_000) throws -> Image {
        var raw = cvs_image()
        try data.withUnsafeBufferPointer { buf in
            try check(cvs_decode_buffer(buf.baseAddress, buf.count, gray ? 1 : 0, Int64(maxPixels), &raw))
        }
        return Image(taking: raw)
    }

    /// The width and height declared by a PNG, JPEG, BMP or WebP header, without decoding.
    public static func headerSize(of data: [UInt8]) throws -> (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        try data.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { throw VisionError(kind: .emptyFile, message: "image data: empty") }
            try check(cvs_peek_size(base, buf.count, &w, &h))
        }
        return (Int(w), Int(h))
    }

    /// Encodes an image to JPEG or PNG bytes.
    public static func encode(_ image: Image, as format: Format) throws -> [UInt8] {
        try encode(image, as: format, with: cvs_encode)
    }

    /// HEIC (or AVIF) bytes of `image`, with `orientation` (EXIF's 1-8) stored as the file's own
    /// rotation boxes; throws `.unsupported` where libheif has no encoder for the format.
    public static func encodeHEIF(_ image: Image, avif: Bool = false, quality: Int = 80, orientation: Int = 1) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        try image.pixels.withUnsafeBufferPointer { px in
            try check(cvs_encode_heif(px.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                                      avif ? 1 : 0, Int32(clamping: quality), Int32(clamping: orientation), &out, &size))
        }
        defer { cvs_free(out) }
        guard let out else { return [] }
        return [UInt8](UnsafeBufferPointer(start: out, count: size))
    }

    /// A shim encoder: cvs_encode, or cvs_encode_opencv (the tests' reference).
    typealias Encoder = (UnsafePointer<UInt8>?, Int32, Int32, Int32, Int32, Int32,
                         UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<Int>?) -> Int32

    /// Encodes `image` with `encoder`.
    static func encode(_ image: Image, as format: Format, with encoder: Encoder) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let (code, quality): (Int32, Int32)
        switch format {
        case .jpeg(let q): (code, quality) = (Int32(CVS_FORMAT_JPEG), Int32(clamping: q))
        case .png: (code, quality) = (Int32(CVS_FORMAT_PNG), 0)
        }
        try image.pixels.withUnsafeBufferPointer { px in
            try check(encoder(px.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                              code, quality, &out, &size))
        }
        defer { cvs_free(out) }
        guard let out else { return [] }
        return [UInt8](UnsafeBufferPointer(start: out, count: size))
    }

    /// The output format for a file extension: "jpg"/"jpeg" (quality 95) or "png", case-insensitive.
    public static func format(forPathExtension ext: String) -> Format? {
        var e = ext.lowercased()
        if e.hasPrefix(".") { e.removeFirst() }
        switch e {
        case "jpg", "jpeg": return .jpeg(quality: 95)
        case "png": return .png
        default: return nil
        }
    }
}
