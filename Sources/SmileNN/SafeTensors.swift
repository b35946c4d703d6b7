// safetensors (https://github.com/huggingface/safetensors) reading and writing.
//
// Layout: an 8-byte little-endian u64 N, N bytes of UTF-8 JSON mapping tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} plus an optional "__metadata__" object of
// string values, then the data buffer; offsets are relative to the buffer's start.
//
// Self-contained on purpose (Foundation and Tensor.swift only): `fuzz/run.sh` compiles these files
// alone with libFuzzer. The reader treats its input as hostile: every size is checked before it
// is used, nothing is allocated from an unchecked length, and arithmetic is overflow-checked
// explicitly (SmileNN builds with -Ounchecked, which drops Swift's own traps).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A set of named tensors plus string metadata, as stored in a `.safetensors` file.
public struct SafeTensors: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form string metadata (the header's `__metadata__`).
    public var metadata: [String: String]

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The largest header accepted (the reference implementation's limit).
    public static let maxHeaderLength = 100_000_000
    /// The most dimensions a tensor may have.
    public static let maxRank = 32
    /// The largest single dimension accepted.
    public static let maxDimension = Int(Int32.max)
    /// The reserved header key for metadata.
    public static let metadataKey = "__metadata__"

    // MARK: - Reading

    /// Reads and validates a safetensors file. Errors name `url.path`.
    public static func read(contentsOf url: URL) throws -> SafeTensors {
        let source = url.path
        let data: Data
        do {
            // Read, not memory-mapped: a mapped file truncated by someone else would fault (SIGBUS).
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError(.io, source: source, "cannot read file: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { try decode(raw: $0, source: source) }
    }

    /// Decodes and validates safetensors bytes. Errors name `source`.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> SafeTensors {
        try bytes.withUnsafeBytes { try decode(raw: $0, source: source) }
    }

    /// A dtype this reader knows, with its element size and whether it converts to Float.
    enum DType: String, CaseIterable {
        case F64, F32, F16, BF16
        case I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2

        var size: Int {
            switch self {
            case .F64, .I64, .U64: return 8
            case .F32, .I32, .U32: return 4
            case .F16, .BF16, .I16, .U16: return 2
            case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
            }
        }

        var convertsToFloat: Bool {
            switch self {
            case .F64, .F32, .F16, .BF16: return true
            default: return false
            }
        }
    }

    private struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        var count: Int
        var begin: Int
        var end: Int
    }

    static func decode(raw: UnsafeRawBufferPointer, source: String) throws -> SafeTensors {
        func fail(_ kind: SafeTensorsError.Kind, _ reason: String) -> SafeTensorsError {
            SafeTensorsError(kind, source: source, reason)
        }
        func failTensor(_ kind: SafeTensorsError.Kind, _ tensor: String?, _ reason: String) -> SafeTensorsError {
            SafeTensorsError(kind, source: source, tensor: tensor, reason)
        }

        guard raw.count >= 8 else {
            throw fail(.fileTooShort, "file is \(raw.count) bytes; at least 8 are needed for the header length")
        }
        var headerLength64: UInt64 = 0
        for i in 0..<8 { headerLength64 |= UInt64(raw[i]) << (8 * UInt64(i)) }
        guard headerLength64 > 0 else { throw fail(.invalidHeaderLength, "header length is 0") }
        guard headerLength64 <= UInt64(maxHeaderLength) else {
            throw fail(.invalidHeaderLength, "header length \(headerLength64) exceeds the \(maxHeaderLength)-byte limit: not a safetensors file, or a damaged one")
        }
        let headerLength = Int(headerLength64)
        guard headerLength <= raw.count - 8 else {
            throw fail(.invalidHeaderLength, "header length \(headerLength) runs past the end of the file (\(raw.count - 8) bytes follow the length field)")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: raw[8..<(8 + headerLength)])
        let buffer = UnsafeRawBufferPointer(rebasing: raw[(8 + headerLength)...])

        // UTF-8 validation before any parsing.
        do {
            var iterator = headerBytes.makeIterator()
            var decoder = UTF8()
            var offset = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput: break loop
                case .error: throw fail(.headerNotUTF8, "header is not valid UTF-8 (near byte \(offset) of the header)")
                }
            }
        }

        let json: SafeTensorsJSON
        do {
            json = try SafeTensorsJSONParser.parse(headerBytes)
        } catch let failure as SafeTensorsJSONFailure {
            throw fail(.headerNotJSON, "header is not valid JSON: \(failure.message) at byte \(failure.offset) of the header")
        }
        guard case .object(let members) = json else {
            throw fail(.headerNotObject, "header JSON is \(json.typeName), not an object")
        }

        var metadata: [String: String] = [:]
        var sawMetadata = false
        var entries: [Entry] = []
        var names = Set<String>()
        entries.reserveCapacity(members.count)

        for (key, value) in members {
            if key == metadataKey {
                guard !sawMetadata else { throw fail(.duplicateKey, "'\(metadataKey)' appears twice in the header") }
                sawMetadata = true
                guard case .object(let pairs) = value else {
                    throw fail(.invalidMetadata, "'\(metadataKey)' is \(value.typeName), not an object")
                }
                for (metaKey, metaValue) in pairs {
                    guard case .string(let string) = metaValue else {
                        throw fail(.invalidMetadata, "metadata value for '\(metaKey)' is \(metaValue.typeName), not a string")
                    }
                    guard metadata.updateValue(string, forKey: metaKey) == nil else {
                        throw fail(.duplicateKey, "metadata key '\(metaKey)' appears twice")
                    }
                }
                continue
            }
            guard names.insert(key).inserted else {
                throw failTensor(.duplicateKey, key, "tensor name appears twice in the header")
            }
            entries.append(try parseEntry(name: key, value: value, bufferSize: buffer.count, fail: failTensor))
        }

        // Gaps between tensors are tolerated; shared bytes are not.
        let ranges = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        if ranges.count > 1 {
            for i in 1..<ranges.count where ranges[i].begin < ranges[i - 1].end {
                throw failTensor(.overlappingTensors, ranges[i].name,
                           "data_offsets [\(ranges[i].begin), \(ranges[i].end)] overlap tensor '\(ranges[i - 1].name)' at [\(ranges[i - 1].begin), \(ranges[i - 1].end)]")
            }
        }

        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            let values = try convert(entry, buffer: buffer, fail: failTensor)
            tensors[entry.name] = Tensor(shape: entry.shape, data: values)
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    private static func parseEntry(
        name: String, value: SafeTensorsJSON, bufferSize: Int,
        fail: (SafeTensorsError.Kind, String?, String) -> SafeTensorsError
    ) throws -> Entry {
        guard case .object(let fields) = value else {
            throw fail(.wrongFieldType, name, "entry is \(value.typeName), not an object")
        }
        var dtypeValue: SafeTensorsJSON?
        var shapeValue: SafeTensorsJSON?
        var offsetsValue: SafeTensorsJSON?
        for (field, fieldValue) in fields {
            switch field {
            case "dtype":
                guard dtypeValue == nil else { throw fail(.duplicateKey, name, "field 'dtype' appears twice") }
                dtypeValue = fieldValue
            case "shape":
                guard shapeValue == nil else { throw fail(.duplicateKey, name, "field 'shape' appears twice") }
                shapeValue = fieldValue
            case "data_offsets":
                guard offsetsValue == nil else { throw fail(.duplicateKey, name, "field 'data_offsets' appears twice") }
                offsetsValue = fieldValue
            default:
                continue  // unknown fields are ignored, as the reference reader does
            }
        }
        guard let dtypeValue else { throw fail(.missingField, name, "entry has no 'dtype'") }
        guard let shapeValue else { throw fail(.missingField, name, "entry has no 'shape'") }
        guard let offsetsValue else { throw fail(.missingField, name, "entry has no 'data_offsets'") }

        guard case .string(let dtypeString) = dtypeValue else {
            throw fail(.wrongFieldType, name, "'dtype' is \(dtypeValue.typeName), not a string")
        }
        guard case .array(let shapeArray) = shapeValue else {
            throw fail(.wrongFieldType, name, "'shape' is \(shapeValue.typeName), not an array")
        }
        guard case .array(let offsetsArray) = offsetsValue else {
            throw fail(.wrongFieldType, name, "'data_offsets' is \(offsetsValue.typeName), not an array")
        }
        guard let dtype = DType(rawValue: dtypeString) else {
            throw fail(.unknownDtype, name, "unknown dtype '\(dtypeString.prefix(40))'")
        }
        guard dtype.convertsToFloat else {
            throw fail(.unsupportedDtype, name, "dtype \(dtype.rawValue) is not supported (only F32, F16, BF16 and F64 are read)")
        }

        guard shapeArray.count <= maxRank else {
            throw fail(.invalidShape, name, "shape has \(shapeArray.count) dimensions; at most \(maxRank) are accepted")
        }
        var shape: [Int] = []
        shape.reserveCapacity(shapeArray.count)
        var count = 1
        for (axis, dimValue) in shapeArray.enumerated() {
            guard case .number(let double, let integer) = dimValue else {
                throw fail(.wrongFieldType, name, "shape[\(axis)] is \(dimValue.typeName), not an integer")
            }
            guard let dim = integer else {
                throw fail(.invalidShape, name, "shape[\(axis)] = \(double) is not an integer in range")
            }
            guard dim >= 0 else { throw fail(.invalidShape, name, "shape[\(axis)] = \(dim) is negative") }
            guard dim <= maxDimension else {
                throw fail(.invalidShape, name, "shape[\(axis)] = \(dim) is absurdly large (limit \(maxDimension))")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail(.shapeOverflow, name, "element count of shape overflows") }
            count = product
            shape.append(dim)
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw fail(.shapeOverflow, name, "byte count of shape \(shape) overflows") }

        guard offsetsArray.count == 2 else {
            throw fail(.invalidOffsets, name, "'data_offsets' has \(offsetsArray.count) elements, not 2")
        }
        var offsets: [Int] = []
        for (i, offsetValue) in offsetsArray.enumerated() {
            guard case .number(let double, let integer) = offsetValue else {
                throw fail(.wrongFieldType, name, "data_offsets[\(i)] is \(offsetValue.typeName), not an integer")
            }
            guard let offset = integer, offset >= 0 else {
                throw fail(.invalidOffsets, name, "data_offsets[\(i)] = \(integer.map(String.init) ?? "\(double)") is not a non-negative integer")
            }
            offsets.append(offset)
        }
        let begin = offsets[0], end = offsets[1]
        guard begin <= end else {
            throw fail(.invalidOffsets, name, "data_offsets [\(begin), \(end)] end before they begin")
        }
        guard end <= bufferSize else {
            throw fail(.invalidOffsets, name, "data_offsets [\(begin), \(end)] lie outside the \(bufferSize)-byte data buffer")
        }
        guard end - begin == byteCount else {
            throw fail(.byteCountMismatch, name, "data_offsets [\(begin), \(end)] give \(end - begin) bytes but \(dtype.rawValue) \(shape) needs \(byteCount)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, count: count, begin: begin, end: end)
    }

    private static func convert(
        _ entry: Entry, buffer: UnsafeRawBufferPointer,
        fail: (SafeTensorsError.Kind, String?, String) -> SafeTensorsError
    ) throws -> [Float] {
        // entry.count * dtype.size == end - begin <= buffer.count, checked in parseEntry.
        let base = buffer.baseAddress.map { UnsafeRawPointer($0) + entry.begin }
        var badIndex: Int?
        var badValue: Double = 0
        let values = [Float](unsafeUninitializedCapacity: entry.count) { out, initialized in
            guard let base else { initialized = 0; return }
            for i in 0..<entry.count {
                let value: Float
                switch entry.dtype {
                case .F32:
                    value = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .F64:
                    let double = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    value = Float(double)
                    if !value.isFinite, badIndex == nil { badIndex = i; badValue = double }
                case .F16:
                    value = floatFromHalf(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                case .BF16:
                    value = Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                default:
                    value = 0  // unreachable: parseEntry refuses other dtypes
                }
                if !value.isFinite, badIndex == nil { badIndex = i; badValue = Double(value) }
                out[i] = value
            }
            initialized = entry.count
        }
        if entry.count > 0, values.count != entry.count {
            throw fail(.invalidOffsets, entry.name, "data buffer is missing")
        }
        if let badIndex {
            throw fail(.nonFiniteValue, entry.name, "element \(badIndex) is \(badValue), which is not a finite Float")
        }
        return values
    }

    /// IEEE 754 binary16 to Float, exactly.
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24.
            let magnitude = Float(mantissa) * Float(bitPattern: 0x3380_0000)  // 2^-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    // MARK: - Writing

    /// Checks that `self` can be written: no tensor is named `__metadata__`, every shape agrees
    /// with its data, and every value is finite (the reader refuses NaN and infinities).
    public func validate(source: String = "<memory>") throws {
        for (name, tensor) in tensors {
            if name == Self.metadataKey {
                throw SafeTensorsError(.invalidForWriting, source: source, tensor: name, "'\(Self.metadataKey)' is reserved for metadata")
            }
            var count = 1
            for dim in tensor.shape {
                guard dim >= 0 else {
                    throw SafeTensorsError(.invalidForWriting, source: source, tensor: name, "shape \(tensor.shape) has a negative dimension")
                }
                let (product, overflow) = count.multipliedReportingOverflow(by: dim)
                guard !overflow, !product.multipliedReportingOverflow(by: 4).overflow else {
                    throw SafeTensorsError(.invalidForWriting, source: source, tensor: name, "shape \(tensor.shape) overflows")
                }
                count = product
            }
            guard count == tensor.data.count else {
                throw SafeTensorsError(.invalidForWriting, source: source, tensor: name, "shape \(tensor.shape) needs \(count) elements but data has \(tensor.data.count)")
            }
            if let index = tensor.data.firstIndex(where: { !$0.isFinite }) {
                throw SafeTensorsError(.invalidForWriting, source: source, tensor: name, "element \(index) is \(tensor.data[index]), which is not finite")
            }
        }
    }

    /// Appends `string` as a JSON string literal.
    private static func appendJSONString(_ string: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in string.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// The tensor names in the order they are written: sorted by UTF-8 bytes.
    var sortedNames: [String] {
        tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The file's bytes: F32 little-endian, names sorted by UTF-8 bytes and laid out contiguously
    /// from offset 0, `__metadata__` (keys sorted) first when non-empty, and the header padded
    /// with spaces to a multiple of 8 bytes.
    ///
    /// Traps if `validate()` would throw; `write(to:)` validates first and throws instead.
    public func encoded() -> [UInt8] {
        do { try validate() } catch { fatalError("SafeTensors.encoded(): \(error)") }
        let names = sortedNames

        var header: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func separator() {
            if !first { header.append(UInt8(ascii: ",")) }
            first = false
        }
        if !metadata.isEmpty {
            separator()
            Self.appendJSONString(Self.metadataKey, to: &header)
            header.append(contentsOf: Array(":{".utf8))
            for (i, key) in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { header.append(UInt8(ascii: ",")) }
                Self.appendJSONString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                Self.appendJSONString(metadata[key]!, to: &header)
            }
            header.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let bytes = tensor.data.count * 4
            separator()
            Self.appendJSONString(name, to: &header)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            header.append(contentsOf: Array(":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}".utf8))
            offset += bytes
        }
        header.append(UInt8(ascii: "}"))
        while header.count % 8 != 0 { header.append(0x20) }

        let total = 8 + header.count + offset
        var out = [UInt8]()
        out.reserveCapacity(total)
        let length = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        out.append(contentsOf: header)
        for name in names {
            let data = tensors[name]!.data
            if 1.littleEndian == 1 {
                data.withUnsafeBytes { out.append(contentsOf: $0) }
            } else {
                for value in data {
                    let bits = value.bitPattern
                    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
                }
            }
        }
        return out
    }

    /// Writes the file atomically: validates, writes a temporary file in the same directory,
    /// flushes it to disk, then renames it over `url`. On any failure the temporary file is
    /// removed and an existing file at `url` is left untouched.
    public func write(to url: URL) throws {
        let path = url.path
        try validate(source: path)
        let bytes = encoded()
        let directory = url.deletingLastPathComponent().path
        let tempPath = (directory.isEmpty ? "." : directory) + "/.\(url.lastPathComponent).\(UUID().uuidString).tmp"

        func ioError(_ what: String) -> SafeTensorsError {
            let code = errno
            return SafeTensorsError(.io, source: path, "\(what): \(String(cString: strerror(code)))")
        }

        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("cannot create temporary file \(tempPath)") }
        var closed = false
        defer {
            if !closed { _ = close(fd) }
        }
        do {
            try bytes.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    let n = Glibc_write(fd, raw.baseAddress! + written, raw.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw ioError("cannot write temporary file \(tempPath)")
                    }
                    written += n
                }
            }
            guard fsync(fd) == 0 else { throw ioError("cannot flush temporary file \(tempPath)") }
            closed = true
            guard close(fd) == 0 else { throw ioError("cannot close temporary file \(tempPath)") }
            guard rename(tempPath, path) == 0 else { throw ioError("cannot rename \(tempPath) to \(path)") }
        } catch {
            _ = unlink(tempPath)
            throw error
        }
        // Best effort: make the rename itself durable.
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            _ = close(dirFD)
        }
    }
}

/// The POSIX `write`, named apart from the method above.
@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, buffer, count)
    #elseif canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Musl.write(fd, buffer, count)
    #endif
}
