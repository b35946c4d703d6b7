import CCVShim

/// OpenCV's own imdecode and imencode, which the codec tests compare ours with.
///
/// `ImageCodec` reads and writes JPEG and PNG through libjpeg and libpng itself (loading OpenCV's
/// image codecs slowed every start); these load OpenCV's on first use.
extension ImageCodec {
    /// Decodes `data` with cv::imdecode, whatever its format (no size limit, no header checks).
    static func decodeWithOpenCV(data: [UInt8], gray: Bool = false) throws -> Image {
        var raw = cvs_image()
        try data.withUnsafeBufferPointer { buf in
            try check(cvs_decode_buffer_opencv(buf.baseAddress, buf.count, gray ? 1 : 0, &raw))
        }
        return Image(taking: raw)
    }

    /// Encodes `image` with cv::imencode.
    static func encodeWithOpenCV(_ image: Image, as format: Format) throws -> [UInt8] {
        try encode(image, as: format, with: cvs_encode_opencv)
    }
}
