// Imports weights from a Keras HDF5 weights file (`model.save_weights(...h5)` or the published
// `vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5`).
//
// Layout: the root (or the `model_weights` group of a full-model file) has a string-array
// attribute `layer_names`; each layer is a group `/<layer>` with a string-array attribute
// `weight_names` (e.g. `block1_conv1/kernel:0`), and each weight is a dataset at
// `/<layer>/<weight_name>`. Conv kernels are HWIO `[kh, kw, in, out]`, dense kernels `[in, out]`.
// Long attributes may be split by Keras into `layer_names0`, `layer_names1`, ...; both forms are read.

import CHDF5
import Foundation

/// Why a Keras HDF5 file could not be imported.
public struct KerasHDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable {
        case fileNotFound
        /// The file is not an HDF5 file at all.
        case notHDF5
        /// Neither the root nor `model_weights` has a `layer_names` attribute.
        case missingLayerNames
        /// A name in `layer_names` has no group.
        case missingLayer
        /// A layer group lacks its `weight_names` attribute.
        case missingWeightNames
        /// A name in `weight_names` has no dataset.
        case missingWeight
        /// An attribute is not an array of strings.
        case badAttribute
        /// A kernel is neither rank 4 (conv) nor rank 2 (dense), or a bias is not rank 1.
        case wrongRank
        /// A weight dataset is not floating point.
        case notFloat
        /// A weight holds NaN or an infinity.
        case nonFinite
        /// A bias length differs from its kernel's output count, or a dataset is absurdly large.
        case badShape
        /// Two weights map to the same tensor name.
        case duplicateName
        /// Some other HDF5 call failed.
        case hdf5
    }

    public var kind: Kind
    /// The file.
    public var path: String
    /// The exact reason, in words (naming the layer and weight where there is one).
    public var reason: String

    public init(_ kind: Kind, path: String, _ reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

public enum KerasHDF5Importer {
    /// HDF5's serial build is not thread-safe; every use here goes through this lock.
    private static let lock = NSLock()
    /// The most elements one weight may have (the full VGG-19's largest has ~103M).
    public static let maxElements = 1 << 31

    /// Reads every layer's weights; conv kernels converted HWIO -> [out, in, kh, kw] (our Conv2D
    /// layout), dense kernels [in, out] -> [out, in]; names "<layer>.weight" / "<layer>.bias".
    /// Other weights (e.g. batch-norm `gamma`) keep their shape and are named "<layer>.<name>".
    public static func importWeights(from path: String) throws -> [String: Tensor] {
        lock.lock()
        defer { lock.unlock() }

        func fail(_ kind: KerasHDF5Error.Kind, _ reason: String) -> KerasHDF5Error {
            KerasHDF5Error(kind, path: path, reason)
        }

        guard FileManager.default.fileExists(atPath: path) else {
            throw fail(.fileNotFound, "no such file")
        }
        guard H5open() >= 0 else { throw fail(.hdf5, "H5open failed") }
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)

        guard H5Fis_hdf5(path) > 0 else { throw fail(.notHDF5, "not an HDF5 file") }
        let file = try Handle(H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default()), H5Fclose) {
            fail(.notHDF5, "HDF5 cannot open the file")
        }

        // The weights group: the root, or `model_weights` in a full-model file.
        var weightsRoot = try Handle(H5Gopen2(file.id, "/", chdf5_p_default()), H5Gclose) { fail(.hdf5, "cannot open the root group") }
        var layerNames = try readStringAttribute(weightsRoot.id, "layer_names", fail: fail)
        if layerNames == nil, H5Lexists(file.id, "model_weights", chdf5_p_default()) > 0 {
            weightsRoot = try Handle(H5Gopen2(file.id, "model_weights", chdf5_p_default()), H5Gclose) {
                fail(.hdf5, "cannot open group 'model_weights'")
            }
            layerNames = try readStringAttribute(weightsRoot.id, "layer_names", fail: fail)
        }
        guard let layerNames else {
            throw fail(.missingLayerNames, "no 'layer_names' attribute at the root (not a Keras weights file)")
        }

        var result: [String: Tensor] = [:]
        for layer in layerNames {
            guard !layer.isEmpty, !layer.contains("/"), H5Lexists(weightsRoot.id, layer, chdf5_p_default()) > 0 else {
                throw fail(.missingLayer, "layer '\(layer)' is listed in layer_names but has no group")
            }
            let group = try Handle(H5Gopen2(weightsRoot.id, layer, chdf5_p_default()), H5Gclose) {
                fail(.missingLayer, "layer '\(layer)' is listed in layer_names but is not a group")
            }
            guard let weightNames = try readStringAttribute(group.id, "weight_names", fail: fail) else {
                throw fail(.missingWeightNames, "layer '\(layer)' has no 'weight_names' attribute")
            }
            var kernelOut: Int?
            var biasCount: Int?
            for weightName in weightNames {
                let tensor = try readDataset(group.id, weightName, layer: layer, fail: fail)
                let role = roleName(of: weightName)
                let name: String
                var converted: Tensor
                switch role {
                case "kernel":
                    name = "\(layer).weight"
                    switch tensor.shape.count {
                    case 4:
                        converted = hwioToOIHW(tensor)
                    case 2:
                        converted = transpose2D(tensor)
                    default:
                        throw fail(.wrongRank, "layer '\(layer)': kernel '\(weightName)' has rank \(tensor.shape.count) (shape \(tensor.shape)); expected 4 (conv, HWIO) or 2 (dense, [in, out])")
                    }
                    kernelOut = converted.shape[0]
                case "bias":
                    name = "\(layer).bias"
                    guard tensor.shape.count == 1 else {
                        throw fail(.wrongRank, "layer '\(layer)': bias '\(weightName)' has rank \(tensor.shape.count) (shape \(tensor.shape)); expected 1")
                    }
                    converted = tensor
                    biasCount = tensor.shape[0]
                default:
                    name = "\(layer).\(role)"
                    converted = tensor
                }
                guard result.updateValue(converted, forKey: name) == nil else {
                    throw fail(.duplicateName, "layer '\(layer)': weight '\(weightName)' maps to '\(name)', which is already taken")
                }
            }
            if let kernelOut, let biasCount, kernelOut != biasCount {
                throw fail(.badShape, "layer '\(layer)': bias has \(biasCount) elements but the kernel has \(kernelOut) outputs")
            }
        }
        return result
    }

    /// `block1_conv1/kernel:0` -> `kernel`.
    static func roleName(of weightName: String) -> String {
        var last = weightName.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? weightName
        if let colon = last.lastIndex(of: ":"), last[last.index(after: colon)...].allSatisfy(\.isNumber) {
            last = String(last[..<colon])
        }
        return last
    }

    /// `[kh, kw, in, out]` -> `[out, in, kh, kw]`.
    static func hwioToOIHW(_ t: Tensor) -> Tensor {
        let (kh, kw, cin, cout) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
        var out = [Float](repeating: 0, count: t.count)
        t.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<kh {
                    for x in 0..<kw {
                        for i in 0..<cin {
                            let srcBase = ((y * kw + x) * cin + i) * cout
                            for o in 0..<cout {
                                dst[((o * cin + i) * kh + y) * kw + x] = src[srcBase + o]
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [cout, cin, kh, kw], data: out)
    }

    /// `[rows, cols]` -> `[cols, rows]`.
    static func transpose2D(_ t: Tensor) -> Tensor {
        let (rows, cols) = (t.shape[0], t.shape[1])
        var out = [Float](repeating: 0, count: t.count)
        t.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for c in 0..<cols {
                        dst[c * rows + r] = src[r * cols + c]
                    }
                }
            }
        }
        return Tensor(shape: [cols, rows], data: out)
    }

    // MARK: - HDF5 helpers

    /// Owns one HDF5 identifier and closes it exactly once.
    private final class Handle {
        let id: hid_t
        private let close: (hid_t) -> herr_t

        init(_ id: hid_t, _ close: @escaping (hid_t) -> herr_t, orThrow error: () -> Error) throws {
            guard id >= 0 else { throw error() }
            self.id = id
            self.close = close
        }

        deinit { _ = close(id) }
    }

    /// Reads a string-array attribute (fixed-length or variable-length strings), or Keras's
    /// chunked form `<name>0`, `<name>1`, ...; nil when absent. An empty attribute of any type
    /// (Keras writes `weight_names` of weightless layers as an empty float array) reads as [].
    private static func readStringAttribute(
        _ object: hid_t, _ name: String, fail: (KerasHDF5Error.Kind, String) -> KerasHDF5Error
    ) throws -> [String]? {
        if H5Aexists(object, name) > 0 {
            return try readOneStringAttribute(object, name, fail: fail)
        }
        guard H5Aexists(object, name + "0") > 0 else { return nil }
        var all: [String] = []
        var chunk = 0
        while H5Aexists(object, "\(name)\(chunk)") > 0 {
            all += try readOneStringAttribute(object, "\(name)\(chunk)", fail: fail)
            chunk += 1
        }
        return all
    }

    private static func readOneStringAttribute(
        _ object: hid_t, _ name: String, fail: (KerasHDF5Error.Kind, String) -> KerasHDF5Error
    ) throws -> [String] {
        let attribute = try Handle(H5Aopen(object, name, chdf5_p_default()), H5Aclose) { fail(.badAttribute, "cannot open attribute '\(name)'") }
        let space = try Handle(H5Aget_space(attribute.id), H5Sclose) { fail(.badAttribute, "cannot read the dataspace of attribute '\(name)'") }
        let points = H5Sget_simple_extent_npoints(space.id)
        guard points >= 0, points <= 10_000_000 else { throw fail(.badAttribute, "attribute '\(name)' has an absurd size (\(points))") }
        let count = Int(points)
        if count == 0 { return [] }
        let fileType = try Handle(H5Aget_type(attribute.id), H5Tclose) { fail(.badAttribute, "cannot read the type of attribute '\(name)'") }
        guard H5Tget_class(fileType.id) == H5T_STRING else {
            throw fail(.badAttribute, "attribute '\(name)' is not an array of strings")
        }
        let memType = try Handle(H5Tcopy(chdf5_c_s1()), H5Tclose) { fail(.hdf5, "H5Tcopy failed") }

        if H5Tis_variable_str(fileType.id) > 0 {
            guard H5Tset_size(memType.id, chdf5_variable()) >= 0 else { throw fail(.hdf5, "H5Tset_size failed") }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute.id, memType.id, &pointers) >= 0 else {
                throw fail(.badAttribute, "cannot read attribute '\(name)'")
            }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = H5Dvlen_reclaim(memType.id, space.id, chdf5_p_default(), &pointers)
            return strings
        }

        let size = H5Tget_size(fileType.id)
        guard size > 0, size <= 1 << 20 else { throw fail(.badAttribute, "attribute '\(name)' has strings of absurd size \(size)") }
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, total <= 1 << 28 else { throw fail(.badAttribute, "attribute '\(name)' is absurdly large") }
        guard H5Tset_size(memType.id, size) >= 0, H5Tset_strpad(memType.id, H5T_STR_NULLPAD) >= 0 else {
            throw fail(.hdf5, "H5Tset_size failed")
        }
        var bytes = [UInt8](repeating: 0, count: total)
        guard H5Aread(attribute.id, memType.id, &bytes) >= 0 else {
            throw fail(.badAttribute, "cannot read attribute '\(name)'")
        }
        return (0..<count).map { i in
            var field = bytes[(i * size)..<((i + 1) * size)]
            while let last = field.last, last == 0 || last == 0x20 { field = field.dropLast() }
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            return String(decoding: field, as: UTF8.self)
        }
    }

    /// Reads a floating-point dataset as Float, checking rank, size and finiteness.
    private static func readDataset(
        _ group: hid_t, _ weightName: String, layer: String, fail: (KerasHDF5Error.Kind, String) -> KerasHDF5Error
    ) throws -> Tensor {
        let what = "layer '\(layer)': weight '\(weightName)'"
        // H5Lexists needs every intermediate group to exist, so check each prefix.
        let components = weightName.split(separator: "/", omittingEmptySubsequences: false)
        guard !weightName.isEmpty, !components.contains(where: \.isEmpty) else {
            throw fail(.missingWeight, "\(what) is not a valid dataset name")
        }
        for depth in 1...components.count {
            let prefix = components[0..<depth].joined(separator: "/")
            guard H5Lexists(group, prefix, chdf5_p_default()) > 0 else {
                throw fail(.missingWeight, "\(what) has no dataset at /\(layer)/\(weightName)")
            }
        }
        let dataset = try Handle(H5Dopen2(group, weightName, chdf5_p_default()), H5Dclose) {
            fail(.missingWeight, "\(what) at /\(layer)/\(weightName) is not a dataset")
        }
        let type = try Handle(H5Dget_type(dataset.id), H5Tclose) { fail(.hdf5, "\(what): cannot read its type") }
        guard H5Tget_class(type.id) == H5T_FLOAT else {
            throw fail(.notFloat, "\(what) is not floating point")
        }
        let space = try Handle(H5Dget_space(dataset.id), H5Sclose) { fail(.hdf5, "\(what): cannot read its dataspace") }
        let rank = H5Sget_simple_extent_ndims(space.id)
        guard rank >= 0, rank <= 8 else { throw fail(.wrongRank, "\(what) has rank \(rank)") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            guard H5Sget_simple_extent_dims(space.id, &dims, nil) == rank else {
                throw fail(.hdf5, "\(what): cannot read its dimensions")
            }
        }
        var count = 1
        for dim in dims {
            guard dim <= UInt64(maxElements) else { throw fail(.badShape, "\(what) has an absurd dimension \(dim)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
            guard !overflow, product <= maxElements else { throw fail(.badShape, "\(what) has too many elements") }
            count = product
        }
        let shape = dims.map { Int($0) }
        var data = [Float](repeating: 0, count: count)
        if count > 0 {
            let status = data.withUnsafeMutableBytes {
                H5Dread(dataset.id, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw fail(.hdf5, "\(what): H5Dread failed") }
        }
        if let index = data.firstIndex(where: { !$0.isFinite }) {
            throw fail(.nonFinite, "\(what): element \(index) is \(data[index])")
        }
        return Tensor(shape: shape, data: data)
    }
}
