import Foundation
import XCTest
@testable import SmileNN

/// Every way the reader must refuse a hostile or broken file, each with its own error kind.
final class SafeTensorsCorruptTests: XCTestCase {
    /// A one-tensor header for `shape`/`offsets` given as raw JSON text.
    func entry(_ name: String = "w", dtype: String = "\"F32\"", shape: String = "[2]", offsets: String = "[0,8]") -> String {
        "\"\(name)\":{\"dtype\":\(dtype),\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    let twoFloats = f32Bytes([1, 2])

    func testValidBaselineDecodes() throws {
        XCTAssertNoThrow(try SafeTensors.decode(safetensorsBytes(header: "{\(entry())}", data: twoFloats)))
    }

    func testTruncatedAtSeveralCutPoints() {
        let full = SafeTensors(tensors: ["a": Tensor(shape: [3], data: [1, 2, 3]), "b": Tensor(shape: [2], data: [4, 5])], metadata: ["m": "x"]).encoded()
        var n = 0
        for i in 0..<8 { n |= Int(full[i]) << (8 * i) }
        for cut in [0, 1, 7] {
            assertDecodeFails(Array(full[..<cut]), .fileTooShort)
        }
        for cut in [8, 9, 8 + n / 2, 8 + n - 1] {
            assertDecodeFails(Array(full[..<cut]), .invalidHeaderLength)
        }
        // Header intact, data buffer short: the last tensor's offsets point past its end.
        for cut in [8 + n, 8 + n + 5, full.count - 1] {
            assertDecodeFails(Array(full[..<cut]), .invalidOffsets)
        }
        XCTAssertNoThrow(try SafeTensors.decode(full))
    }

    func testHeaderLengthZero() {
        assertDecodeFails(littleEndianBytes(0) + Array("{}      ".utf8), .invalidHeaderLength)
    }

    func testHeaderLengthAbsurd() {
        assertDecodeFails(safetensorsBytes(header: "{}", declaredLength: 100_000_001), .invalidHeaderLength)
        assertDecodeFails(safetensorsBytes(header: "{}", declaredLength: UInt64.max), .invalidHeaderLength)
        assertDecodeFails(safetensorsBytes(header: "{}", declaredLength: 1 << 63), .invalidHeaderLength)
    }

    func testHeaderLengthBeyondFile() {
        let error = assertDecodeFails(safetensorsBytes(header: "{}", declaredLength: 9), .invalidHeaderLength)
        XCTAssertTrue(error?.reason.contains("past the end") ?? false)
    }

    func testHeaderNotUTF8() {
        assertDecodeFails(littleEndianBytes(8) + [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], .headerNotUTF8)
        // An overlong encoding of '"' and a lone surrogate encoded in UTF-8 are invalid too.
        assertDecodeFails(littleEndianBytes(8) + [0x7B, 0xC0, 0xA2, 0x20, 0x20, 0x20, 0x20, 0x7D], .headerNotUTF8)
        assertDecodeFails(littleEndianBytes(8) + [0x7B, 0xED, 0xA0, 0x80, 0x20, 0x20, 0x20, 0x7D], .headerNotUTF8)
    }

    func testHeaderNotJSON() {
        for text in ["{", "{\"a\":", "{\"a\" 1}", "{'a':1}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":1,}", "{} x", "{\"\\x\":1}",
                     "{\"a\":\"\u{1}\"}", "{\"\\ud800\":1}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}"] {
            assertDecodeFails(safetensorsBytes(header: text), .headerNotJSON)
        }
        // Hostile nesting depth is refused without exhausting the stack.
        assertDecodeFails(safetensorsBytes(header: String(repeating: "[", count: 100_000)), .headerNotJSON)
        assertDecodeFails(safetensorsBytes(header: "{\"a\":" + String(repeating: "{\"a\":", count: 100_000)), .headerNotJSON)
        // NUL padding is not JSON whitespace.
        assertDecodeFails(littleEndianBytes(8) + Array("{}".utf8) + [0, 0, 0, 0, 0, 0], .headerNotJSON)
    }

    func testHeaderNotObject() {
        for text in ["[1,2]", "\"str\"", "1", "null", "true"] {
            assertDecodeFails(safetensorsBytes(header: text), .headerNotObject)
        }
    }

    func testDuplicateKeys() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry()),\(entry())}", data: twoFloats), .duplicateKey, tensor: "w")
        // Same name after unescaping.
        assertDecodeFails(safetensorsBytes(header: "{\(entry()),\(entry("\\u0077"))}", data: twoFloats), .duplicateKey, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: #"{"w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: twoFloats), .duplicateKey, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":{"k":"a","k":"b"}}"#), .duplicateKey)
        assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":{},"__metadata__":{}}"#), .duplicateKey)
    }

    func testMissingFields() {
        assertDecodeFails(safetensorsBytes(header: #"{"w":{"shape":[2],"data_offsets":[0,8]}}"#, data: twoFloats), .missingField, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: #"{"w":{"dtype":"F32","data_offsets":[0,8]}}"#, data: twoFloats), .missingField, tensor: "w")
        let error = assertDecodeFails(safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[2]}}"#, data: twoFloats), .missingField, tensor: "w")
        XCTAssertTrue(error?.reason.contains("data_offsets") ?? false)
    }

    func testWrongJSONTypes() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "5"))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "\"2\""))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[\"2\"]"))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[true]"))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "\"0,8\""))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0,null]"))}", data: twoFloats), .wrongFieldType, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: #"{"w":[1,2]}"#, data: twoFloats), .wrongFieldType, tensor: "w")
    }

    func testUnknownAndUnsupportedDtypes() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "\"F33\""))}", data: twoFloats), .unknownDtype, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "\"f32\""))}", data: twoFloats), .unknownDtype, tensor: "w")
        let error = assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "\"I32\""))}", data: twoFloats), .unsupportedDtype, tensor: "w")
        XCTAssertTrue(error?.reason.contains("I32") ?? false)
        assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "\"BOOL\"", offsets: "[0,2]"))}", data: [1, 0]), .unsupportedDtype, tensor: "w")
    }

    func testInvalidShapes() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[-2]"))}", data: twoFloats), .invalidShape, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[1.5]"))}", data: twoFloats), .invalidShape, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[2e0]"))}", data: twoFloats), .invalidShape, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[1099511627776, 0]"))}", data: twoFloats), .invalidShape, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[99999999999999999999999]"))}", data: twoFloats), .invalidShape, tensor: "w")
        let rank33 = "[" + Array(repeating: "1", count: 33).joined(separator: ",") + "]"
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: rank33))}", data: twoFloats), .invalidShape, tensor: "w")
    }

    func testShapeProductOverflow() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[2147483647,2147483647,2147483647]"))}", data: twoFloats), .shapeOverflow, tensor: "w")
        // Overflow before a zero dimension is refused too (Tensor multiplies left to right).
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[2147483647,2147483647,2147483647,0]", offsets: "[0,0]"))}"), .shapeOverflow, tensor: "w")
        // Element count fits but byte count does not.
        assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[2147483647,2147483647,2]"))}", data: twoFloats), .shapeOverflow, tensor: "w")
    }

    func testByteCountMismatch() {
        let error = assertDecodeFails(safetensorsBytes(header: "{\(entry(shape: "[3]"))}", data: twoFloats + twoFloats), .byteCountMismatch, tensor: "w")
        XCTAssertTrue(error?.reason.contains("needs 12") ?? false, error?.description ?? "")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(dtype: "\"F16\""))}", data: twoFloats), .byteCountMismatch, tensor: "w")
    }

    func testOffsetsOutsideOrReversed() {
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[8,16]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0,9223372036854775807]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[8,0]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[-8,0]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0,8,16]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0,8.0]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
        assertDecodeFails(safetensorsBytes(header: "{\(entry(offsets: "[0,99999999999999999999]"))}", data: twoFloats), .invalidOffsets, tensor: "w")
    }

    func testOverlappingTensors() {
        let header = "{\(entry("a", offsets: "[0,8]")),\(entry("b", offsets: "[4,12]"))}"
        let error = assertDecodeFails(safetensorsBytes(header: header, data: f32Bytes([1, 2, 3])), .overlappingTensors, tensor: "b")
        XCTAssertTrue(error?.reason.contains("'a'") ?? false)
        // Identical ranges overlap as well.
        let same = "{\(entry("a")),\(entry("b"))}"
        assertDecodeFails(safetensorsBytes(header: same, data: twoFloats), .overlappingTensors)
    }

    func testNonFiniteValues() {
        for bad: Float in [.nan, .infinity, -.infinity, .signalingNaN] {
            let error = assertDecodeFails(safetensorsBytes(header: "{\(entry("layer.w"))}", data: f32Bytes([1, bad])), .nonFiniteValue, tensor: "layer.w")
            XCTAssertTrue(error?.reason.contains("element 1") ?? false)
        }
        // F64 values beyond Float's range become infinite and are refused.
        assertDecodeFails(safetensorsBytes(header: "{\(entry("d", dtype: "\"F64\"", shape: "[1]"))}", data: f64Bytes([1e300])), .nonFiniteValue, tensor: "d")
        // F16 and BF16 infinities.
        assertDecodeFails(safetensorsBytes(header: "{\(entry("h", dtype: "\"F16\"", shape: "[1]", offsets: "[0,2]"))}", data: u16Bytes([0x7C00])), .nonFiniteValue, tensor: "h")
        assertDecodeFails(safetensorsBytes(header: "{\(entry("b", dtype: "\"BF16\"", shape: "[1]", offsets: "[0,2]"))}", data: u16Bytes([0x7FC0])), .nonFiniteValue, tensor: "b")
    }

    func testInvalidMetadata() {
        let error = assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":{"epochs":5}}"#), .invalidMetadata)
        XCTAssertTrue(error?.reason.contains("epochs") ?? false)
        assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":{"a":null}}"#), .invalidMetadata)
        assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":{"a":["x"]}}"#), .invalidMetadata)
        assertDecodeFails(safetensorsBytes(header: #"{"__metadata__":"x"}"#), .invalidMetadata)
    }

    func testRandomGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let valid = SafeTensors(tensors: ["a": Tensor(shape: [2, 2], data: [1, 2, 3, 4])], metadata: ["k": "v"]).encoded()
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[i] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            _ = try? SafeTensors.decode(bytes)
        }
    }
}
