import CCVShim

/// An error from decoding, detection or video reading; the message names the file and the reason.
public struct VisionError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, for callers that branch on it.
    public enum Kind: Sendable, Equatable {
        case fileNotFound, unreadable, emptyFile, corrupt, tooLarge, unsupported, invalidArgument, cascade, video, internalError
    }

    /// The category.
    public let kind: Kind
    /// Human-readable text naming the file and the reason.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The error for shim code `code`, with the shim's last message.
    static func fromShim(_ code: Int32) -> VisionError {
        let kind: Kind
        switch code {
        case Int32(CVS_E_NOT_FOUND): kind = .fileNotFound
        case Int32(CVS_E_UNREADABLE): kind = .unreadable
        case Int32(CVS_E_EMPTY): kind = .emptyFile
        case Int32(CVS_E_CORRUPT): kind = .corrupt
        case Int32(CVS_E_TOO_LARGE): kind = .tooLarge
        case Int32(CVS_E_UNSUPPORTED): kind = .unsupported
        case Int32(CVS_E_INVALID): kind = .invalidArgument
        case Int32(CVS_E_CASCADE): kind = .cascade
        case Int32(CVS_E_VIDEO): kind = .video
        default: kind = .internalError
        }
        return VisionError(kind: kind, message: String(cString: cvs_last_error()))
    }
}

/// Throws the shim's error unless `code` is CVS_OK.
@inline(__always)
func check(_ code: Int32) throws {
    if code != Int32(CVS_OK) { throw VisionError.fromShim(code) }
}

/// Stops with the shim's message when an operation that cannot fail for valid input fails.
@inline(__always)
func mustSucceed(_ code: Int32, _ what: StaticString) {
    if code != Int32(CVS_OK) { fatalError("\(what): \(String(cString: cvs_last_error()))") }
}

extension Image {
    /// Copies a shim-allocated image into an `Image` and frees the shim's buffer.
    init(taking raw: cvs_image) {
        defer { cvs_free(raw.pixels) }
        let count = Int(raw.width) * Int(raw.height) * Int(raw.channels)
        let bytes = [UInt8](UnsafeBufferPointer(start: raw.pixels, count: count))
        self.init(width: Int(raw.width), height: Int(raw.height), channels: Int(raw.channels), pixels: bytes)
    }

    /// Makes an image of the given size by letting `fill` write all its bytes.
    static func make(width: Int, height: Int, channels: Int,
                     _ fill: (UnsafeMutablePointer<UInt8>) -> Int32, _ what: StaticString) -> Image {
        let count = width * height * channels
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            mustSucceed(fill(buf.baseAddress!), what)
            initialized = count
        }
        return Image(width: width, height: height, channels: channels, pixels: bytes)
    }
}
