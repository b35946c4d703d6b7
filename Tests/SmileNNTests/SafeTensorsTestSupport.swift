import Foundation
import XCTest
@testable import SmileNN

/// Builds safetensors bytes by hand, exactly as the spec lays them out: an 8-byte little-endian
/// header length (the true one unless `declaredLength` lies), the header, then the data buffer.
func safetensorsBytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil, pad: Bool = true) -> [UInt8] {
    var headerBytes = Array(header.utf8)
    if pad {
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
    }
    return littleEndianBytes(declaredLength ?? UInt64(headerBytes.count)) + headerBytes + data
}

func littleEndianBytes(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

func f32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
}

func f64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
}

func u16Bytes(_ values: [UInt16]) -> [UInt8] {
    values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
}

/// Asserts that decoding fails with `kind`, and returns the error for further checks.
@discardableResult
func assertDecodeFails(
    _ bytes: [UInt8], _ kind: SafeTensorsError.Kind, tensor: String? = nil, source: String = "test.safetensors",
    file: StaticString = #filePath, line: UInt = #line
) -> SafeTensorsError? {
    do {
        let decoded = try SafeTensors.decode(bytes, source: source)
        XCTFail("expected \(kind), decoded \(decoded.tensors.keys.sorted())", file: file, line: line)
        return nil
    } catch let error as SafeTensorsError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        XCTAssertEqual(error.source, source, file: file, line: line)
        XCTAssertTrue(error.description.hasPrefix(source + ": "), error.description, file: file, line: line)
        if let tensor {
            XCTAssertEqual(error.tensor, tensor, "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains("'\(tensor)'"), error.description, file: file, line: line)
        }
        return error
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
        return nil
    }
}

func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("smile-st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
