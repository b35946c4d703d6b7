import SmileKernels

/// The transformed weights `U_ξ` of one Winograd convolution, cached per weight version, and the per-position GEMMs.
///
/// With `packed` (only where the CPU has AVX2 and FMA, `PackedConvolutionWeights.isSupported`), each
/// `U_ξ` (`[out x in]`) is packed once for `packedGemm`, SmileKernels' micro-kernel, instead of OpenBLAS
/// repacking it on every one of the 16 (F(2x2)) or 36 (F(4x4)) GEMMs per chunk; otherwise the plain
/// row-major `U` goes to OpenBLAS. Whichever copy is kept is recomputed whenever the weight `Parameter`'s
/// `version` differs from the version it was made from (optimiser steps and `Sequential.load` bump it).
final class WinogradWeights {
    let inputChannels: Int
    let outputChannels: Int
    let tile: WinogradTile
    /// Whether the GEMMs run on packed copies with `packedGemm`; changing it drops the cache.
    var packed: Bool {
        didSet {
            precondition(!packed || PackedConvolutionWeights.isSupported, "packed GEMM needs AVX2 and FMA")
            if packed != oldValue { version = nil }
        }
    }

    /// `positions` matrices, plain (`out * in` floats each) or packed (`matrixCount` each).
    private var matrices: [Float] = []
    private var version: Int?

    init(inputChannels: Int, outputChannels: Int, tile: WinogradTile) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.tile = tile
        self.packed = PackedConvolutionWeights.isSupported
    }

    /// Floats per stored matrix.
    private var matrixCount: Int {
        packed ? PackedGemmLayout.packedCount(m: outputChannels, k: inputChannels) : outputChannels * inputChannels
    }

    /// Recomputes `U` (and packs it when `packed`) if `weight` changed since it was last transformed.
    func prepare(_ weight: Parameter) {
        if version == weight.version && !matrices.isEmpty { return }
        let cout = outputChannels, cin = inputChannels, positions = tile.positions
        precondition(weight.value.shape == [cout, cin, 3, 3], "Winograd needs [out, in, 3, 3] weights")
        var plain = packed ? [Float](repeating: 0, count: positions * cout * cin) : matrices
        ensureCapacity(&plain, positions * cout * cin)
        weight.value.data.withUnsafeBufferPointer { w in
            plain.withUnsafeMutableBufferPointer { u in
                switch tile {
                case .f2x2: winogradTransformWeights(w.baseAddress!, outputs: cout, inputs: cin, into: u.baseAddress!)
                case .f4x4: winograd4x4TransformWeights(w.baseAddress!, outputs: cout, inputs: cin, into: u.baseAddress!)
                }
            }
        }
        if packed {
            let stride = matrixCount
            if matrices.count != positions * stride { matrices = [Float](repeating: 0, count: positions * stride) }
            plain.withUnsafeBufferPointer { u in
                matrices.withUnsafeMutableBufferPointer { p in
                    for xi in 0..<positions {
                        packWeights(u.baseAddress! + xi * cout * cin, m: cout, k: cin, lda: cin, into: p.baseAddress! + xi * stride)
                    }
                }
            }
        } else {
            matrices = plain
        }
        version = weight.version
    }

    /// `M_ξ[out x tiles] = U_ξ[out x in] V_ξ[in x tiles]` for every position ξ (`v` and `m` position-major).
    ///
    /// Call `prepare` first. `workspace` is grown to what `packedGemm` needs.
    func multiply(v: UnsafePointer<Float>, tiles: Int, into m: UnsafeMutablePointer<Float>, workspace: inout [Float]) {
        let cout = outputChannels, cin = inputChannels, stride = matrixCount
        if packed { ensureCapacity(&workspace, PackedGemmLayout.workspaceCount(n: tiles)) }
        matrices.withUnsafeBufferPointer { ub in
            workspace.withUnsafeMutableBufferPointer { wb in
                let u = ub.baseAddress!
                for xi in 0..<tile.positions {
                    let b = v + xi * cin * tiles, c = m + xi * cout * tiles
                    if packed {
                        packedGemm(
                            m: cout, n: tiles, k: cin, packedA: u + xi * stride, b: b, ldb: tiles, bias: nil, relu: false,
                            c: c, ldc: tiles, workspace: wb.baseAddress!)
                    } else {
                        gemm(
                            transposeA: false, transposeB: false, m: cout, n: tiles, k: cin,
                            a: u + xi * stride, lda: cin, b: b, ldb: tiles, beta: 0, c: c, ldc: tiles)
                    }
                }
            }
        }
    }
}
