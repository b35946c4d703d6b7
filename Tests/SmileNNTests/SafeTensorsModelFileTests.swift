import XCTest
@testable import SmileNN

final class SafeTensorsModelFileTests: XCTestCase {
    let tensors: [String: Tensor] = [
        "conv.weight": Tensor(shape: [3, 2, 3, 3], repeating: 0),
        "conv.bias": Tensor(shape: [3], repeating: 0),
    ]

    func testExactMatchPasses() throws {
        try validateShapes(tensors, expected: [("conv.weight", [3, 2, 3, 3]), ("conv.bias", [3])], source: "m.safetensors")
    }

    func testMissingTensor() {
        XCTAssertThrowsError(try validateShapes(tensors, expected: [("conv.weight", [3, 2, 3, 3]), ("conv.bias", [3]), ("fc.weight", [2, 4])], source: "m.safetensors")) { error in
            let e = error as? ModelFileError
            XCTAssertEqual(e?.kind, .missingTensor)
            XCTAssertEqual(e?.tensor, "fc.weight")
            XCTAssertEqual(e?.expected, [2, 4])
            XCTAssertEqual("\(error)", "m.safetensors: missing tensor 'fc.weight' (expected shape [2, 4])")
        }
    }

    func testUnexpectedTensor() {
        XCTAssertThrowsError(try validateShapes(tensors, expected: [("conv.weight", [3, 2, 3, 3])], source: "m.safetensors")) { error in
            let e = error as? ModelFileError
            XCTAssertEqual(e?.kind, .unexpectedTensor)
            XCTAssertEqual(e?.tensor, "conv.bias")
            XCTAssertEqual(e?.found, [3])
        }
    }

    func testShapeMismatch() {
        XCTAssertThrowsError(try validateShapes(tensors, expected: [("conv.weight", [3, 2, 3, 3]), ("conv.bias", [4])], source: "m.safetensors")) { error in
            let e = error as? ModelFileError
            XCTAssertEqual(e?.kind, .shapeMismatch)
            XCTAssertEqual(e?.tensor, "conv.bias")
            XCTAssertEqual(e?.expected, [4])
            XCTAssertEqual(e?.found, [3])
            XCTAssertEqual("\(error)", "m.safetensors: tensor 'conv.bias' has shape [3] but the model expects [4]")
        }
    }

    func testRoundTripThroughFileThenValidate() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.safetensors")
        try SafeTensors(tensors: tensors, metadata: ["arch": "tiny"]).write(to: url)
        let read = try SafeTensors.read(contentsOf: url)
        try validateShapes(read.tensors, expected: [("conv.weight", [3, 2, 3, 3]), ("conv.bias", [3])], source: url.path)
    }
}
