// A small, strict JSON parser for safetensors headers.
//
// Foundation's JSONSerialization silently keeps the last of duplicate keys and blurs integers,
// doubles and booleans together (NSNumber); a header is untrusted input, so this parser keeps
// object members in order (the caller refuses duplicates), keeps integers exact, and limits
// nesting depth so hostile input cannot exhaust the stack. Self-contained (no Foundation) so the
// fuzz target can compile it alone.

/// A parsed JSON value.
indirect enum SafeTensorsJSON {
    case object([(key: String, value: SafeTensorsJSON)])
    case array([SafeTensorsJSON])
    case string(String)
    /// A number; `integer` is set when the literal has no fraction or exponent and fits in `Int`.
    case number(Double, integer: Int?)
    case bool(Bool)
    case null

    /// The JSON type, in words, for error messages.
    var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// Why parsing failed, with the byte offset into the header.
struct SafeTensorsJSONFailure: Error {
    var message: String
    var offset: Int
}

/// Parses one JSON value followed only by whitespace. The input must already be valid UTF-8.
struct SafeTensorsJSONParser {
    static let maxDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var pos = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> SafeTensorsJSON {
        var parser = SafeTensorsJSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos != bytes.count {
            throw parser.failure("unexpected data after the JSON value")
        }
        return value
    }

    private func failure(_ message: String) -> SafeTensorsJSONFailure {
        SafeTensorsJSONFailure(message: message, offset: pos)
    }

    private var atEnd: Bool { pos >= bytes.count }
    private var current: UInt8 { bytes[pos] }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard !atEnd, current == byte else { throw failure("expected \(what)") }
        pos += 1
    }

    private mutating func parseValue(depth: Int) throws -> SafeTensorsJSON {
        guard depth < Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        guard !atEnd else { throw failure("unexpected end of JSON") }
        switch current {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard bytes.count - pos >= count else { throw failure("unexpected end of JSON") }
        let ptr = word.utf8Start
        for i in 0..<count where bytes[pos + i] != ptr[i] {
            throw failure("invalid literal")
        }
        pos += count
    }

    private mutating func parseObject(depth: Int) throws -> SafeTensorsJSON {
        pos += 1  // {
        var members: [(key: String, value: SafeTensorsJSON)] = []
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "}") {
            pos += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard !atEnd, current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            members.append((key, value))
            skipWhitespace()
            guard !atEnd else { throw failure("unexpected end of JSON in an object") }
            if current == UInt8(ascii: ",") { pos += 1; continue }
            if current == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws -> SafeTensorsJSON {
        pos += 1  // [
        var elements: [SafeTensorsJSON] = []
        skipWhitespace()
        if !atEnd, current == UInt8(ascii: "]") {
            pos += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard !atEnd else { throw failure("unexpected end of JSON in an array") }
            if current == UInt8(ascii: ",") { pos += 1; continue }
            if current == UInt8(ascii: "]") { pos += 1; return .array(elements) }
            throw failure("expected ',' or ']'")
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard bytes.count - pos >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for i in 0..<4 {
            guard let digit = Self.hexValue(bytes[pos + i]) else { throw failure("invalid \\u escape") }
            value = value << 4 | digit
        }
        pos += 4
        return value
    }

    private mutating func parseString() throws -> String {
        pos += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw failure("unterminated string") }
            let byte = current
            switch byte {
            case UInt8(ascii: "\""):
                pos += 1
                // The whole header was validated as UTF-8 and we only split at ASCII quotes.
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                pos += 1
                guard !atEnd else { throw failure("unterminated escape") }
                let escape = current
                pos += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalarValue = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalarValue) {
                        guard bytes.count - pos >= 2, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate in \\u escape")
                        }
                        pos += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalarValue) {
                        throw failure("unpaired surrogate in \\u escape")
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw failure("invalid \\u escape") }
                    out.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    throw failure("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw failure("control character in string") }
                out.append(byte)
                pos += 1
            }
        }
    }

    private mutating func parseNumber() throws -> SafeTensorsJSON {
        let start = pos
        var negative = false
        if current == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard !atEnd, isDigit(current) else { throw failure("invalid number") }
        var integer: Int? = 0
        if current == UInt8(ascii: "0") {
            pos += 1
        } else {
            while !atEnd, isDigit(current) {
                if let soFar = integer {
                    let digit = Int(current - UInt8(ascii: "0"))
                    let (times10, o1) = soFar.multipliedReportingOverflow(by: 10)
                    let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
                    integer = (o1 || o2) ? nil : next
                }
                pos += 1
            }
        }
        var isInteger = true
        if !atEnd, current == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard !atEnd, isDigit(current) else { throw failure("invalid number") }
            while !atEnd, isDigit(current) { pos += 1 }
        }
        if !atEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if !atEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { pos += 1 }
            guard !atEnd, isDigit(current) else { throw failure("invalid number") }
            while !atEnd, isDigit(current) { pos += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let double = Double(text) else { throw failure("invalid number") }
        return .number(double, integer: isInteger ? integer : nil)
    }
}
