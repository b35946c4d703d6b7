/// Inference convolution by Winograd F(2x2, 3x3): 3x3 kernel, stride 1, padding 1.
///
/// Each 2x2 output tile costs 16 multiplications per (input, output) channel pair instead of 36: the input
/// is cut into overlapping 4x4 tiles and transformed (`V = Bᵀ d B`), the 16 transformed positions are
/// multiplied by the transformed weights with 16 OpenBLAS GEMMs (`M_ξ[out x tiles] = U_ξ[out x in] V_ξ[in x tiles]`),
/// and the output transform (`Y = Aᵀ M A`) adds the bias and the optional ReLU. See `WinogradTransforms.swift`.
///
/// Tiles of all images in the batch share the GEMMs; they are processed in chunks of whole tile rows
/// (`chunkFloats` bounds the chunk's `V` and `M`), so batch 32 does not stream hundreds of megabytes.
///
/// Weight cache: `U` is computed on first use and recomputed whenever the weight `Parameter`'s `version`
/// differs from the version it was computed from. `Parameter.value` bumps `version` on every change, including
/// the optimisers' in-place updates and `Sequential.load`, so no caller has to invalidate anything.
/// Buffers (`U`, chunk `V` and `M`, scratch rows) are kept and reused across calls.
final class WinogradConvolution {
    let inputChannels: Int
    let outputChannels: Int
    /// Default of `chunkFloats`.
    static let defaultChunkFloats = 1 << 20
    /// Upper bound on the floats of one chunk's `V` plus `M` (tile rows are grouped until it is reached).
    var chunkFloats = WinogradConvolution.defaultChunkFloats

    private var transformed: [Float] = []
    private var transformedVersion: Int?
    private var v: [Float] = []
    private var m: [Float] = []
    private var inputScratch: [Float] = []
    private var outputScratch: [Float] = []
    private var zeros: [Float] = []

    init(inputChannels: Int, outputChannels: Int) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
    }

    /// Whether Winograd beats im2col for this layer and input size on one core (by measurement with
    /// `smile bench nn --per-layer`): the GEMMs need enough tiles to amortise the 16/9 larger weights,
    /// and tiny channel counts (an RGB or grey first layer) leave the GEMMs too thin.
    static func isWorthwhile(inputChannels: Int, outputChannels: Int, batch: Int, height: Int, width: Int) -> Bool {
        let tiles = batch * ((height + 1) / 2) * ((width + 1) / 2)
        return inputChannels >= 16 && outputChannels >= 16 && tiles >= 16
    }

    /// Tile rows per chunk for `tilesW` tiles per row.
    func rowsPerChunk(tilesW: Int, totalRows: Int) -> Int {
        let perRow = 16 * (inputChannels + outputChannels) * tilesW
        return max(1, min(totalRows, chunkFloats / perRow))
    }

    /// Recomputes `U` if `weight` changed since it was last transformed.
    private func prepareWeights(_ weight: Parameter) {
        if transformedVersion == weight.version && !transformed.isEmpty { return }
        precondition(weight.value.shape == [outputChannels, inputChannels, 3, 3], "Winograd needs [out, in, 3, 3] weights")
        ensureCapacity(&transformed, 16 * outputChannels * inputChannels)
        weight.value.data.withUnsafeBufferPointer { w in
            transformed.withUnsafeMutableBufferPointer { u in
                winogradTransformWeights(w.baseAddress!, outputs: outputChannels, inputs: inputChannels, into: u.baseAddress!)
            }
        }
        transformedVersion = weight.version
    }

    /// Convolves `input` `[N, in, H, W]` into `output` `[N, out, H, W]` (reusing its storage when the shape repeats).
    func forward(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool, into output: inout Tensor) {
        prepareWeights(weight)
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let cin = inputChannels, cout = outputChannels
        let tilesH = (h + 1) / 2, tilesW = (w + 1) / 2
        let totalRows = n * tilesH
        let chunkRows = rowsPerChunk(tilesW: tilesW, totalRows: totalRows)
        let chunkTiles = chunkRows * tilesW
        ensureCapacity(&v, 16 * cin * chunkTiles)
        ensureCapacity(&m, 16 * cout * chunkTiles)
        ensureCapacity(&inputScratch, 4 * (2 * tilesW + 2))
        ensureCapacity(&outputScratch, 4 * tilesW)
        ensureCapacity(&zeros, w)
        output.reuse(shape: [n, cout, h, w])
        let relu = fusedReLU
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                transformed.withUnsafeBufferPointer { ub in
                    v.withUnsafeMutableBufferPointer { vb in
                        m.withUnsafeMutableBufferPointer { mb in
                            inputScratch.withUnsafeMutableBufferPointer { isb in
                                outputScratch.withUnsafeMutableBufferPointer { osb in
                                    zeros.withUnsafeBufferPointer { zb in
                                        withBias(bias) { bp in
                                            let x = xb.baseAddress!, y = yb.baseAddress!, u = ub.baseAddress!
                                            let vp = vb.baseAddress!, mp = mb.baseAddress!
                                            var first = 0
                                            while first < totalRows {
                                                let rows = min(chunkRows, totalRows - first)
                                                let tiles = rows * tilesW
                                                winogradTransformInput(
                                                    x, channels: cin, height: h, width: w, tilesH: tilesH, tilesW: tilesW,
                                                    firstRow: first, rows: rows, zeros: zb.baseAddress!,
                                                    scratch: isb.baseAddress!, into: vp)
                                                for xi in 0..<16 {
                                                    gemm(
                                                        transposeA: false, transposeB: false, m: cout, n: tiles, k: cin,
                                                        a: u + xi * cout * cin, lda: cin, b: vp + xi * cin * tiles, ldb: tiles,
                                                        beta: 0, c: mp + xi * cout * tiles, ldc: tiles)
                                                }
                                                winogradTransformOutput(
                                                    mp, channels: cout, height: h, width: w, tilesH: tilesH, tilesW: tilesW,
                                                    firstRow: first, rows: rows, bias: bp, relu: relu,
                                                    scratch: osb.baseAddress!, into: y)
                                                first += rows
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Calls `body` with a pointer to the bias values, or nil without a bias.
@inline(__always)
private func withBias<R>(_ bias: Parameter?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let bias else { return body(nil) }
    return bias.value.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}
