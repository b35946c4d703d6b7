import SmileKit
import SmileNN
import XCTest

final class ModelFileTests: XCTestCase {
    func testSaveLoadRoundTripKeepsWeightsMetadataAndPredictions() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = Fixtures.tinyModel()
        let url = directory.appendingPathComponent("m.safetensors")
        try model.save(to: url)
        let loaded = try SmileModel.load(contentsOf: url)
        XCTAssertEqual(loaded.metadata, model.metadata)
        let batch = Tensor(shape: [2, 1, 32, 32], data: (0..<2048).map { Float(($0 * 37) % 255) / 64 - 2 })
        let a = model.network.predictProbabilities(batch), b = loaded.network.predictProbabilities(batch)
        for (x, y) in zip(a.data, b.data) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    func testMetadataThatLiesIsRefused() throws {
        var pairs = Fixtures.tinyModel().metadata.stringPairs()
        pairs["threshold"] = "1.5"
        XCTAssertThrowsError(try ModelMetadata(stringPairs: pairs, source: "m.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("m.safetensors"), "\(error)")
            XCTAssertTrue("\(error)".contains("threshold"), "\(error)")
        }
        pairs = Fixtures.tinyModel().metadata.stringPairs()
        pairs.removeValue(forKey: "framing")
        XCTAssertThrowsError(try ModelMetadata(stringPairs: pairs, source: "m")) { XCTAssertTrue("\($0)".contains("'framing' is missing"), "\($0)") }
        pairs = Fixtures.tinyModel().metadata.stringPairs()
        pairs["normalisation_mean"] = "[1, 2]"
        XCTAssertThrowsError(try ModelMetadata(stringPairs: pairs, source: "m")) { XCTAssertTrue("\($0)".contains("normalisation"), "\($0)") }
    }

    func testWeightsThatDoNotMatchTheArchitectureAreRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = Fixtures.tinyModel()
        var tensors = Dictionary(uniqueKeysWithValues: model.network.namedTensors().map { ($0.name, $0.tensor) })
        let url = directory.appendingPathComponent("bad.safetensors")
        // Metadata says width 1/16, but one conv has other shapes.
        tensors["block1_conv1.weight"] = Tensor(shape: [5, 1, 3, 3], repeating: 0.1)
        try SafeTensors(tensors: tensors, metadata: model.metadata.stringPairs()).write(to: url)
        XCTAssertThrowsError(try SmileModel.load(contentsOf: url)) { XCTAssertTrue("\($0)".contains("block1_conv1.weight"), "\($0)") }
        // A tensor missing.
        tensors = Dictionary(uniqueKeysWithValues: model.network.namedTensors().map { ($0.name, $0.tensor) })
        tensors.removeValue(forKey: "block3_conv2.bias")
        try SafeTensors(tensors: tensors, metadata: model.metadata.stringPairs()).write(to: url)
        XCTAssertThrowsError(try SmileModel.load(contentsOf: url)) { XCTAssertTrue("\($0)".contains("block3_conv2.bias"), "\($0)") }
    }

    func testTruncatedModelFileGivesAnErrorNamingIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("cut.safetensors")
        try Fixtures.tinyModel().save(to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        XCTAssertThrowsError(try SmileModel.load(contentsOf: url)) { XCTAssertTrue("\($0)".contains("cut.safetensors"), "\($0)") }
    }

    func testNaNWeightsAndAnOversizedHeaderAreRefusedNamingTheFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("nan.safetensors")
        try Fixtures.tinyModel().save(to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: [0x00, 0x00, 0xC0, 0x7F])  // the last float: a quiet NaN
        XCTAssertGreaterThan(bytes.count, 8 + headerLength)
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try SmileModel.load(contentsOf: url)) {
            XCTAssertTrue("\($0)".contains("nan.safetensors"), "\($0)")
            XCTAssertTrue("\($0)".contains("finite"), "\($0)")
        }
        let huge = directory.appendingPathComponent("huge-header.safetensors")
        try Data([0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00] + Array("{}".utf8)).write(to: huge)  // claims a 1 GiB header
        XCTAssertThrowsError(try SmileModel.load(contentsOf: huge)) {
            XCTAssertTrue("\($0)".contains("huge-header.safetensors"), "\($0)")
            XCTAssertTrue("\($0)".contains("limit"), "\($0)")
        }
    }

    func testModelInfoDescribesTheFile() {
        let text = ModelDescription.text(Fixtures.tinyModel())
        for expected in ["architecture:  vgg19", "input:         32x32, 1 channel", "crop framing:  margin 0.1", "threshold:     0.5", "purpose: tests"] {
            XCTAssertTrue(text.contains(expected), "missing '\(expected)' in\n\(text)")
        }
    }
}
