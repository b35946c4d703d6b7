import CHDF5
import Foundation
import XCTest
@testable import SmileNN

/// Writes HDF5 files in Keras's weights layout with the C API, closing every identifier.
private final class KerasH5Writer {
    let file: hid_t
    private var open: [(hid_t, (hid_t) -> herr_t)] = []

    init(path: String) throws {
        _ = H5open()
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        file = H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        guard file >= 0 else { throw NSError(domain: "H5Fcreate", code: Int(file)) }
    }

    private func track(_ id: hid_t, _ close: @escaping (hid_t) -> herr_t) -> hid_t {
        precondition(id >= 0, "HDF5 call failed in the test writer")
        open.append((id, close))
        return id
    }

    /// Closes everything, innermost first.
    func close() {
        for (id, closer) in open.reversed() { _ = closer(id) }
        open.removeAll()
        _ = H5Fclose(file)
    }

    func group(_ parent: hid_t, _ name: String) -> hid_t {
        track(H5Gcreate2(parent, name, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()), H5Gclose)
    }

    /// A 1-D attribute of fixed-length, NUL-padded strings, as h5py writes numpy `S` arrays.
    func fixedStrings(_ object: hid_t, _ name: String, _ strings: [String]) {
        let width = max(1, strings.map(\.utf8.count).max() ?? 1)
        let type = track(H5Tcopy(chdf5_c_s1()), H5Tclose)
        _ = H5Tset_size(type, width)
        _ = H5Tset_strpad(type, H5T_STR_NULLPAD)
        var dims = [hsize_t(strings.count)]
        let space = track(H5Screate_simple(1, &dims, nil), H5Sclose)
        let attribute = track(H5Acreate2(object, name, type, space, chdf5_p_default(), chdf5_p_default()), H5Aclose)
        var bytes = [UInt8](repeating: 0, count: width * strings.count)
        for (i, s) in strings.enumerated() {
            for (j, b) in s.utf8.enumerated() { bytes[i * width + j] = b }
        }
        precondition(H5Awrite(attribute, type, &bytes) >= 0)
    }

    /// A 1-D attribute of variable-length strings.
    func variableStrings(_ object: hid_t, _ name: String, _ strings: [String]) {
        let type = track(H5Tcopy(chdf5_c_s1()), H5Tclose)
        _ = H5Tset_size(type, chdf5_variable())
        var dims = [hsize_t(strings.count)]
        let space = track(H5Screate_simple(1, &dims, nil), H5Sclose)
        let attribute = track(H5Acreate2(object, name, type, space, chdf5_p_default(), chdf5_p_default()), H5Aclose)
        let cStrings = strings.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers: [UnsafeMutablePointer<CChar>?] = cStrings
        precondition(H5Awrite(attribute, type, &pointers) >= 0)
    }

    /// An empty float64 array attribute: what Keras writes as `weight_names` of weightless layers.
    func emptyFloatAttribute(_ object: hid_t, _ name: String) {
        var dims: [hsize_t] = [0]
        let space = track(H5Screate_simple(1, &dims, nil), H5Sclose)
        _ = track(H5Acreate2(object, name, chdf5_ieee_f64le(), space, chdf5_p_default(), chdf5_p_default()), H5Aclose)
    }

    func dataset(_ parent: hid_t, _ name: String, shape: [Int], values: [Float], fileType: hid_t = chdf5_ieee_f32le()) {
        var dims = shape.map { hsize_t($0) }
        let space = track(H5Screate_simple(Int32(shape.count), &dims, nil), H5Sclose)
        let ds = track(H5Dcreate2(parent, name, fileType, space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()), H5Dclose)
        var data = values
        precondition(H5Dwrite(ds, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &data) >= 0)
    }

    func intDataset(_ parent: hid_t, _ name: String, values: [Int32]) {
        var dims = [hsize_t(values.count)]
        let space = track(H5Screate_simple(1, &dims, nil), H5Sclose)
        let ds = track(H5Dcreate2(parent, name, chdf5_std_i32le(), space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()), H5Dclose)
        var data = values
        precondition(H5Dwrite(ds, chdf5_native_int(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &data) >= 0)
    }

    /// One Keras layer: group `/<layer>`, attribute `weight_names`, datasets `/<layer>/<layer>/<w>:0`.
    func layer(_ name: String, weights: [(String, [Int], [Float])], parent: hid_t? = nil) {
        let g = group(parent ?? file, name)
        if weights.isEmpty {
            emptyFloatAttribute(g, "weight_names")
            return
        }
        fixedStrings(g, "weight_names", weights.map { "\(name)/\($0.0):0" })
        let inner = group(g, name)
        for (weight, shape, values) in weights {
            dataset(inner, "\(weight):0", shape: shape, values: values)
        }
    }
}

/// Deterministic, distinct, exactly representable values.
private func ramp(_ count: Int, scale: Float = 0.25, offset: Float = -3) -> [Float] {
    (0..<count).map { Float($0) * scale + offset }
}

final class KerasHDF5ImporterTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Open HDF5 identifiers of every kind in every file (H5F_OBJ_ALL == 0x1F).
    func openHDF5Objects() -> Int { Int(H5Fget_obj_count(hid_t(0x1F), 0x1F)) }

    // Keras-layout shapes: conv1 HWIO [3,3,2,3] (2 -> 3 channels), conv2 [1,2,3,3] (non-square,
    // catches kh/kw swaps), dense [in 12, out 5].
    let conv1Kernel = ramp(3 * 3 * 2 * 3)
    let conv1Bias: [Float] = [0.5, -0.5, 1.5]
    let conv2Kernel = ramp(1 * 2 * 3 * 3, scale: -0.125, offset: 2)
    let conv2Bias: [Float] = [1, 2, 3]
    let denseKernel = ramp(12 * 5, scale: 0.0625, offset: 0)
    let denseBias: [Float] = [-1, -2, -3, -4, -5]

    func writeModel(at p: String, variableLengthLayerNames: Bool = false) throws {
        let w = try KerasH5Writer(path: p)
        defer { w.close() }
        let names = ["input_1", "block1_conv1", "block1_conv2", "block1_pool", "fc1"]
        if variableLengthLayerNames {
            w.variableStrings(w.file, "layer_names", names)
        } else {
            w.fixedStrings(w.file, "layer_names", names)
        }
        w.fixedStrings(w.file, "backend", ["tensorflow"])
        w.layer("input_1", weights: [])
        w.layer("block1_conv1", weights: [("kernel", [3, 3, 2, 3], conv1Kernel), ("bias", [3], conv1Bias)])
        w.layer("block1_conv2", weights: [("kernel", [1, 2, 3, 3], conv2Kernel), ("bias", [3], conv2Bias)])
        w.layer("block1_pool", weights: [])
        w.layer("fc1", weights: [("kernel", [12, 5], denseKernel), ("bias", [5], denseBias)])
    }

    func checkModel(_ weights: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(weights.keys), ["block1_conv1.weight", "block1_conv1.bias", "block1_conv2.weight", "block1_conv2.bias", "fc1.weight", "fc1.bias"], file: file, line: line)
        for (layer, kernel, kh, kw, cin, cout) in [("block1_conv1", conv1Kernel, 3, 3, 2, 3), ("block1_conv2", conv2Kernel, 1, 2, 3, 3)] {
            guard let t = weights["\(layer).weight"] else { continue }
            XCTAssertEqual(t.shape, [cout, cin, kh, kw], file: file, line: line)
            for o in 0..<cout { for i in 0..<cin { for y in 0..<kh { for x in 0..<kw {
                let ours = t.data[((o * cin + i) * kh + y) * kw + x]
                let keras = kernel[((y * kw + x) * cin + i) * cout + o]
                XCTAssertEqual(ours, keras, "\(layer)[\(o),\(i),\(y),\(x)]", file: file, line: line)
            } } } }
        }
        XCTAssertEqual(weights["block1_conv1.bias"], Tensor(shape: [3], data: conv1Bias), file: file, line: line)
        XCTAssertEqual(weights["block1_conv2.bias"], Tensor(shape: [3], data: conv2Bias), file: file, line: line)
        let dense = weights["fc1.weight"]!
        XCTAssertEqual(dense.shape, [5, 12], file: file, line: line)
        for o in 0..<5 { for i in 0..<12 {
            XCTAssertEqual(dense.data[o * 12 + i], denseKernel[i * 5 + o], "fc1[\(o),\(i)]", file: file, line: line)
        } }
        XCTAssertEqual(weights["fc1.bias"], Tensor(shape: [5], data: denseBias), file: file, line: line)
    }

    func testImportTransposesExactly() throws {
        let p = path("model.h5")
        try writeModel(at: p)
        XCTAssertEqual(openHDF5Objects(), 0)
        // The leak check itself sees an open file.
        let probe = H5Fopen(p, chdf5_acc_rdonly(), chdf5_p_default())
        XCTAssertGreaterThan(openHDF5Objects(), 0)
        _ = H5Fclose(probe)
        let weights = try KerasHDF5Importer.importWeights(from: p)
        checkModel(weights)
        // Spot-check one value by hand: Keras [y=2, x=1, i=1, o=2] is flat index ((2*3+1)*2+1)*3+2 = 47;
        // ours [o=2, i=1, y=2, x=1] is ((2*2+1)*3+2)*3+1 = 52.
        let spot: Float = weights["block1_conv1.weight"]!.data[52]
        XCTAssertEqual(spot, conv1Kernel[47])
        XCTAssertEqual(spot, 47 * 0.25 - 3)
        XCTAssertEqual(openHDF5Objects(), 0, "every hid_t closed")
    }

    func testVariableLengthLayerNames() throws {
        let p = path("vlen.h5")
        try writeModel(at: p, variableLengthLayerNames: true)
        checkModel(try KerasHDF5Importer.importWeights(from: p))
        XCTAssertEqual(openHDF5Objects(), 0)
    }

    func testChunkedLayerNamesAndFullModelLayout() throws {
        // `model.save()` files keep weights under /model_weights; long attributes are chunked.
        let p = path("full.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            let mw = w.group(w.file, "model_weights")
            w.fixedStrings(mw, "layer_names0", ["block1_conv1"])
            w.fixedStrings(mw, "layer_names1", ["fc1"])
            w.layer("block1_conv1", weights: [("kernel", [3, 3, 2, 3], conv1Kernel), ("bias", [3], conv1Bias)], parent: mw)
            w.layer("fc1", weights: [("kernel", [12, 5], denseKernel), ("bias", [5], denseBias)], parent: mw)
        }
        let weights = try KerasHDF5Importer.importWeights(from: p)
        XCTAssertEqual(Set(weights.keys), ["block1_conv1.weight", "block1_conv1.bias", "fc1.weight", "fc1.bias"])
        XCTAssertEqual(weights["fc1.weight"]!.shape, [5, 12])
    }

    func testFloat64WeightsAreConverted() throws {
        let p = path("f64.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["d"])
            let g = w.group(w.file, "d")
            w.fixedStrings(g, "weight_names", ["d/kernel:0"])
            w.dataset(w.group(g, "d"), "kernel:0", shape: [2, 3], values: [1, 2, 3, 4, 5, 6], fileType: chdf5_ieee_f64le())
        }
        XCTAssertEqual(try KerasHDF5Importer.importWeights(from: p)["d.weight"], Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
    }

    // MARK: - Malformed files

    func assertImportFails(_ p: String, _ kind: KerasHDF5Error.Kind, mentions: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try KerasHDF5Importer.importWeights(from: p), file: file, line: line) { error in
            guard let e = error as? KerasHDF5Error else { return XCTFail("unexpected \(error)", file: file, line: line) }
            XCTAssertEqual(e.kind, kind, "\(e)", file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(p + ": "), e.description, file: file, line: line)
            if let mentions {
                XCTAssertTrue(e.description.contains(mentions), e.description, file: file, line: line)
            }
        }
        XCTAssertEqual(openHDF5Objects(), 0, "every hid_t closed after an error", file: file, line: line)
    }

    func testRandomBytesAreNotHDF5() throws {
        let p = path("random.h5")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: p))
        assertImportFails(p, .notHDF5)
        try Data().write(to: URL(fileURLWithPath: p))
        assertImportFails(p, .notHDF5)
        // A truncated real file (superblock present, the rest gone).
        let good = path("good.h5")
        try writeModel(at: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        try bytes.prefix(600).write(to: URL(fileURLWithPath: p))
        XCTAssertThrowsError(try KerasHDF5Importer.importWeights(from: p))
        XCTAssertEqual(openHDF5Objects(), 0)
    }

    func testMissingFile() {
        assertImportFails(path("nope.h5"), .fileNotFound)
    }

    func testMissingLayerNames() throws {
        let p = path("nolayers.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.layer("fc1", weights: [("kernel", [12, 5], denseKernel)])
        }
        assertImportFails(p, .missingLayerNames, mentions: "layer_names")
    }

    func testLayerWithoutGroup() throws {
        let p = path("nogroup.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["fc1", "ghost"])
            w.layer("fc1", weights: [("kernel", [12, 5], denseKernel)])
        }
        assertImportFails(p, .missingLayer, mentions: "ghost")
    }

    func testLayerWithoutWeightNames() throws {
        let p = path("noweightnames.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["fc1"])
            _ = w.group(w.file, "fc1")
        }
        assertImportFails(p, .missingWeightNames, mentions: "fc1")
    }

    func testMissingWeight() throws {
        let p = path("noweight.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["fc1"])
            let g = w.group(w.file, "fc1")
            w.fixedStrings(g, "weight_names", ["fc1/kernel:0", "fc1/bias:0"])
            w.dataset(w.group(g, "fc1"), "kernel:0", shape: [12, 5], values: denseKernel)
        }
        assertImportFails(p, .missingWeight, mentions: "fc1/bias:0")
    }

    func testWrongRanks() throws {
        let p = path("rank.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["c"])
            w.layer("c", weights: [("kernel", [3, 2, 2], ramp(12))])
        }
        assertImportFails(p, .wrongRank, mentions: "rank 3")

        let q = path("biasrank.h5")
        do {
            let w = try KerasH5Writer(path: q)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["c"])
            w.layer("c", weights: [("bias", [1, 3], [1, 2, 3])])
        }
        assertImportFails(q, .wrongRank, mentions: "bias")
    }

    func testNonFloatWeight() throws {
        let p = path("int.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["c"])
            let g = w.group(w.file, "c")
            w.fixedStrings(g, "weight_names", ["c/bias:0"])
            w.intDataset(w.group(g, "c"), "bias:0", values: [1, 2, 3])
        }
        assertImportFails(p, .notFloat, mentions: "c/bias:0")
    }

    func testNaNWeight() throws {
        let p = path("nan.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["c"])
            w.layer("c", weights: [("bias", [3], [1, .nan, 3])])
        }
        assertImportFails(p, .nonFinite, mentions: "element 1")
    }

    func testBiasKernelMismatch() throws {
        let p = path("mismatch.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            w.fixedStrings(w.file, "layer_names", ["fc1"])
            w.layer("fc1", weights: [("kernel", [12, 5], denseKernel), ("bias", [4], [1, 2, 3, 4])])
        }
        assertImportFails(p, .badShape, mentions: "fc1")
    }

    func testLayerNamesOfWrongType() throws {
        let p = path("badattr.h5")
        do {
            let w = try KerasH5Writer(path: p)
            defer { w.close() }
            var dims: [hsize_t] = [2]
            let space = H5Screate_simple(1, &dims, nil)
            let attribute = H5Acreate2(w.file, "layer_names", chdf5_ieee_f64le(), space, chdf5_p_default(), chdf5_p_default())
            var values: [Double] = [1, 2]
            _ = H5Awrite(attribute, chdf5_native_double(), &values)
            _ = H5Aclose(attribute)
            _ = H5Sclose(space)
        }
        assertImportFails(p, .badAttribute, mentions: "layer_names")
    }

    func testRoleNames() {
        XCTAssertEqual(KerasHDF5Importer.roleName(of: "block1_conv1/kernel:0"), "kernel")
        XCTAssertEqual(KerasHDF5Importer.roleName(of: "bn/moving_mean:0"), "moving_mean")
        XCTAssertEqual(KerasHDF5Importer.roleName(of: "kernel"), "kernel")
    }
}
