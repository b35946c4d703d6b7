import Foundation
import XCTest
@testable import SmileNN

final class SafeTensorsTests: XCTestCase {
    func sample() -> SafeTensors {
        SafeTensors(
            tensors: [
                "conv1.weight": Tensor(shape: [2, 1, 2, 2], data: [1, -2, 3.5, 0, 1e-30, -0.0, 7, Float.greatestFiniteMagnitude]),
                "conv1.bias": Tensor(shape: [2], data: [0.25, -0.125]),
                "scalar": Tensor(shape: [], data: [42]),
                "empty": Tensor(shape: [0, 3], data: []),
                "ünïcødé \"quoted\"\n\\": Tensor(shape: [1], data: [Float.leastNonzeroMagnitude]),
            ],
            metadata: ["format": "smile", "note": "line\nbreak \"quotes\" \\ tab\t \u{1} é 😀", "": "empty key"]
        )
    }

    func testRoundTripIsExact() throws {
        let original = sample()
        let decoded = try SafeTensors.decode(original.encoded())
        XCTAssertEqual(decoded.tensors, original.tensors)
        XCTAssertEqual(decoded.metadata, original.metadata)
        // Bit-exact, including the sign of zero.
        XCTAssertEqual(decoded.tensors["conv1.weight"]!.data.map(\.bitPattern), original.tensors["conv1.weight"]!.data.map(\.bitPattern))
    }

    func testEmptySetRoundTrips() throws {
        let bytes = SafeTensors(tensors: [:], metadata: [:]).encoded()
        XCTAssertEqual(bytes, safetensorsBytes(header: "{}"))
        let decoded = try SafeTensors.decode(bytes)
        XCTAssertTrue(decoded.tensors.isEmpty)
        XCTAssertTrue(decoded.metadata.isEmpty)
    }

    func testByteLayoutMatchesSpec() throws {
        let st = SafeTensors(
            tensors: ["b": Tensor(shape: [2], data: [1, 2]), "a": Tensor(shape: [1, 3], data: [3, 4, 5])],
            metadata: ["k": "v"]
        )
        let bytes = st.encoded()
        // Header length: 8-byte little-endian u64.
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        let headerLength = Int(n)
        XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
        XCTAssertEqual(bytes.count, 8 + headerLength + 20)
        let header = Array(bytes[8..<(8 + headerLength)])
        var end = header.count
        while end > 0, header[end - 1] == 0x20 { end -= 1 }
        XCTAssertLessThan(header.count - end, 8, "at most 7 padding spaces")
        let trimmed = String(decoding: header[..<end], as: UTF8.self)
        XCTAssertEqual(trimmed, #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}"#)

        // Independently parse with Foundation and check the offsets against the buffer.
        let json = try JSONSerialization.jsonObject(with: Data(header)) as! [String: Any]
        let a = json["a"] as! [String: Any], b = json["b"] as! [String: Any]
        XCTAssertEqual(a["data_offsets"] as! [Int], [0, 12])
        XCTAssertEqual(b["data_offsets"] as! [Int], [12, 20])
        XCTAssertEqual(a["shape"] as! [Int], [1, 3])
        XCTAssertEqual(a["dtype"] as! String, "F32")
        XCTAssertEqual(json["__metadata__"] as! [String: String], ["k": "v"])
        let buffer = Array(bytes[(8 + headerLength)...])
        XCTAssertEqual(Array(buffer[0..<12]), f32Bytes([3, 4, 5]))
        XCTAssertEqual(Array(buffer[12..<20]), f32Bytes([1, 2]))
    }

    func testNoMetadataKeyWhenMetadataEmpty() {
        let bytes = SafeTensors(tensors: ["x": Tensor(shape: [1], data: [1])], metadata: [:]).encoded()
        XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("__metadata__"))
    }

    /// Bytes laid out as Python's `safetensors.torch.save_file` does: a compact JSON header with
    /// `__metadata__` first, tensors sorted, padded with spaces, contiguous data.
    func testPythonConventionFileParses() throws {
        let header = #"{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}"#
        let bytes = safetensorsBytes(header: header, data: f32Bytes([0.5, -1]) + f32Bytes([1, 2, 3, 4]))
        let st = try SafeTensors.decode(bytes)
        XCTAssertEqual(st.metadata, ["format": "pt"])
        XCTAssertEqual(st.tensors["bias"], Tensor(shape: [2], data: [0.5, -1]))
        XCTAssertEqual(st.tensors["weight"], Tensor(shape: [2, 2], data: [1, 2, 3, 4]))
    }

    func testWhitespaceUnpaddedHeadersAndEscapesParse() throws {
        // Spaces around separators (json.dumps default), no padding, an escaped name, an unknown field.
        let header = "{ \"w\\u00e9\" : { \"shape\" : [ 1 ] , \"dtype\" : \"F32\" , \"data_offsets\" : [ 0 , 4 ] , \"extra\": null } }\n"
        let st = try SafeTensors.decode(safetensorsBytes(header: header, data: f32Bytes([9]), pad: false))
        XCTAssertEqual(st.tensors["wé"], Tensor(shape: [1], data: [9]))
    }

    func testOtherFloatDtypesConvert() throws {
        let header = #"{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]},"d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]}}"#
        // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 0.333251953125 (0x3555)
        let data = u16Bytes([0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555]) + u16Bytes([0x3F80, 0xC0A0]) + f64Bytes([0.1, -3])
        let st = try SafeTensors.decode(safetensorsBytes(header: header, data: data))
        XCTAssertEqual(st.tensors["h"]!.data, [1, -2, 65504, Float(bitPattern: 0x3380_0000), 0.333251953125])
        XCTAssertEqual(st.tensors["b"]!.data, [1, -5])
        XCTAssertEqual(st.tensors["d"]!.data, [Float(0.1), -3])
    }

    func testHalfConversionMatchesFloat16ForAllBitPatterns() {
        #if !(os(macOS) && arch(x86_64))
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = SafeTensors.floatFromHalf(bits)
            if expected.isNaN {
                XCTAssertTrue(got.isNaN)
            } else {
                XCTAssertEqual(got.bitPattern, expected.bitPattern, "bits \(bits)")
            }
        }
        #endif
    }

    func testGapsBetweenTensorsAreAccepted() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#
        let data = f32Bytes([0, 1, 0, 2, 0])
        let st = try SafeTensors.decode(safetensorsBytes(header: header, data: data))
        XCTAssertEqual(st.tensors["a"]!.data, [1])
        XCTAssertEqual(st.tensors["b"]!.data, [2])
    }

    func testEmptyTensorsMayShareAnOffset() throws {
        let header = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let st = try SafeTensors.decode(safetensorsBytes(header: header, data: f32Bytes([1])))
        XCTAssertEqual(st.tensors["a"], Tensor(shape: [0], data: []))
        XCTAssertEqual(st.tensors["b"], Tensor(shape: [1], data: [1]))
    }

    // MARK: - Files

    func testWriteAndReadFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let st = sample()
        try st.write(to: url)
        let read = try SafeTensors.read(contentsOf: url)
        XCTAssertEqual(read.tensors, st.tensors)
        XCTAssertEqual(read.metadata, st.metadata)
        XCTAssertEqual(try Array(Data(contentsOf: url)), st.encoded())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"], "no temporary file left behind")

        // Overwriting replaces the file, again leaving nothing else behind.
        let second = SafeTensors(tensors: ["x": Tensor(shape: [1], data: [1])], metadata: [:])
        try second.write(to: url)
        XCTAssertEqual(try SafeTensors.read(contentsOf: url).tensors, second.tensors)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
    }

    func testFailedWriteDoesNotClobberExistingFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try sample().write(to: url)
        let before = try Data(contentsOf: url)

        let cases: [(SafeTensors, String)] = [
            (SafeTensors(tensors: ["w": Tensor(shape: [2], data: [1, .nan])], metadata: [:]), "w"),
            (SafeTensors(tensors: ["w": Tensor(shape: [1], data: [-.infinity])], metadata: [:]), "w"),
            (SafeTensors(tensors: ["__metadata__": Tensor(shape: [1], data: [1])], metadata: [:]), "__metadata__"),
        ]
        for (bad, name) in cases {
            XCTAssertThrowsError(try bad.write(to: url)) { error in
                let e = error as? SafeTensorsError
                XCTAssertEqual(e?.kind, .invalidForWriting)
                XCTAssertEqual(e?.tensor, name)
                XCTAssertEqual(e?.source, url.path)
            }
            XCTAssertEqual(try Data(contentsOf: url), before)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
        }
        // Shape and data disagreeing (Tensor's precondition is bypassed by mutating shape).
        var tensor = Tensor(shape: [2], data: [1, 2])
        tensor.shape = [3]
        XCTAssertThrowsError(try SafeTensors(tensors: ["t": tensor], metadata: [:]).write(to: url)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .invalidForWriting)
        }
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.safetensors"])
    }

    func testWriteIntoMissingDirectoryIsAnIOError() {
        let url = URL(fileURLWithPath: "/nonexistent-smile-dir-\(UUID().uuidString)/m.safetensors")
        XCTAssertThrowsError(try sample().write(to: url)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.kind, .io)
        }
    }

    func testReadMissingFileIsAnIOError() {
        let url = URL(fileURLWithPath: "/nonexistent-smile-\(UUID().uuidString).safetensors")
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: url)) { error in
            let e = error as? SafeTensorsError
            XCTAssertEqual(e?.kind, .io)
            XCTAssertEqual(e?.source, url.path)
        }
    }

    func testReadErrorNamesTheFileAndTensor() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.safetensors")
        let bytes = safetensorsBytes(header: #"{"layer.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: f32Bytes([1, .nan]))
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: url)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(url.path), text)
            XCTAssertTrue(text.contains("'layer.weight'"), text)
            XCTAssertTrue(text.contains("element 1"), text)
        }
    }
}
