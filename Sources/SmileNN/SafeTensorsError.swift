/// Why a safetensors file could not be read or written.
///
/// `description` names the source (a path, or `<memory>`), the tensor concerned where there is
/// one, and the exact reason, e.g.
/// `model.safetensors: tensor 'conv1.weight': data_offsets [0, 96] give 96 bytes but F32 [3, 3, 3] needs 108`.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The class of failure; tests and callers can switch on it.
    public enum Kind: String, Equatable, Sendable {
        /// Fewer than 8 bytes: no room for the header length.
        case fileTooShort
        /// The header length is 0, above the 100 MB cap, or runs past the end of the file.
        case invalidHeaderLength
        /// The header bytes are not valid UTF-8.
        case headerNotUTF8
        /// The header is not well-formed JSON (or nests absurdly deep).
        case headerNotJSON
        /// The header's JSON is not an object.
        case headerNotObject
        /// The same tensor name, metadata key or entry field appears twice.
        case duplicateKey
        /// An entry lacks `dtype`, `shape` or `data_offsets`.
        case missingField
        /// An entry is not an object, or a field has the wrong JSON type (e.g. a string shape).
        case wrongFieldType
        /// A dtype string that safetensors does not define.
        case unknownDtype
        /// A safetensors dtype this reader does not convert to Float (integers, bool, FP8).
        case unsupportedDtype
        /// A negative, fractional or absurd dimension, or too many dimensions.
        case invalidShape
        /// The product of the dimensions overflows.
        case shapeOverflow
        /// `end - begin` differs from element count times dtype size.
        case byteCountMismatch
        /// `data_offsets` are not two non-negative integers with begin <= end <= buffer size.
        case invalidOffsets
        /// Two tensors share bytes of the data buffer.
        case overlappingTensors
        /// A tensor holds NaN or an infinity (or an F64 value beyond Float's range).
        case nonFiniteValue
        /// `__metadata__` is not an object of string values.
        case invalidMetadata
        /// Opening, reading, writing or renaming a file failed.
        case io
        /// The in-memory value cannot be written (e.g. shape and data disagree, a NaN, a reserved name).
        case invalidForWriting
    }

    /// The class of failure.
    public var kind: Kind
    /// The file path, or `<memory>` for bytes decoded directly.
    public var source: String
    /// The tensor concerned, if any.
    public var tensor: String?
    /// The exact reason, in words.
    public var reason: String

    public init(_ kind: Kind, source: String, tensor: String? = nil, _ reason: String) {
        self.kind = kind
        self.source = source
        self.tensor = tensor
        self.reason = reason
    }

    public var description: String {
        if let tensor {
            return "\(source): tensor '\(tensor)': \(reason)"
        }
        return "\(source): \(reason)"
    }
}
