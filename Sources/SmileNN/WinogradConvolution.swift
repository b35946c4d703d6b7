/// The two Winograd variants: output tile 2x2 (16 positions) or 4x4 (36 positions).
public enum WinogradTile: Sendable {
    case f2x2, f4x4
    /// Output tile side.
    var m: Int { self == .f2x2 ? 2 : 4 }
    /// Transformed positions per tile, `(m + 2)²`.
    var positions: Int { (m + 2) * (m + 2) }
}

/// Inference convolution by Winograd F(2x2, 3x3) or F(4x4, 3x3): 3x3 kernel, stride 1, padding 1.
///
/// F(2x2): each 2x2 output tile costs 16 multiplications per (input, output) channel pair instead of 36: the
/// input is cut into overlapping 4x4 tiles and transformed (`V = Bᵀ d B`), the 16 transformed positions are
/// multiplied by the transformed weights with 16 GEMMs (`M_ξ[out x tiles] = U_ξ[out x in] V_ξ[in x tiles]`, see
/// `WinogradWeights`: SmileKernels' packed kernel on AVX2/FMA CPUs, else OpenBLAS),
/// and the output transform (`Y = Aᵀ M A`) adds the bias and the optional ReLU. See `WinogradTransforms.swift`.
/// F(4x4) likewise with 6x6 input tiles and 36 GEMMs (`WinogradTransforms4x4.swift`).
///
/// Tiles of all images in the batch share the GEMMs; they are processed in chunks of whole tile rows of
/// at least `chunkTiles` tiles, so batch 32 does not stream hundreds of megabytes, while each GEMM still
/// has enough columns to amortise OpenBLAS's packing of the weights where it runs (done on every call, and
/// the cost that dominates when tiles are few).
///
/// Weight cache (`WinogradWeights`): `U` (packed where the kernel runs) is computed on first use and
/// recomputed whenever the weight `Parameter`'s `version` differs from the version it was computed from.
/// `Parameter.value` bumps `version` on every change, including the optimisers' in-place updates and
/// `Sequential.load`, so no caller has to invalidate anything.
/// `U` is kept per layer; the chunk buffers are the calling thread's `WinogradScratch`, shared by all layers.
final class WinogradConvolution {
    let inputChannels: Int
    let outputChannels: Int
    let tile: WinogradTile
    /// Minimum tiles per chunk (whole tile rows are added until it is reached, or the batch is done).
    var chunkTiles = 256

    /// `U`, transformed (and packed where the CPU allows) once per weight version.
    let weights: WinogradWeights

    init(inputChannels: Int, outputChannels: Int, tile: WinogradTile = .f2x2) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.tile = tile
        self.weights = WinogradWeights(inputChannels: inputChannels, outputChannels: outputChannels, tile: tile)
    }

    /// The variant that runs fastest for this layer and input on one core, or nil where im2col does.
    ///
    /// `packed`: whether the GEMMs (Winograd's and im2col's) run on weights packed once (AVX2/FMA CPUs).
    /// Without it OpenBLAS packs (copies) the weight matrix on every GEMM call, so a layer costs roughly
    /// `positions x in x out x (pack + 2 x columns / GEMM speed)`: im2col has 9 positions and `batch x H x W`
    /// columns, F(2x2) 16 and a quarter of the columns, F(4x4) 36 and a sixteenth (its weights are 4x the kernel). With few output positions
    /// (batch 1, 8x8 and 4x4 maps) packing dominates and im2col wins; from about 128 positions F(2x2), and from
    /// 256 F(4x4) for layers of 256 or more input channels; with fewer channels F(4x4)'s larger transforms cost
    /// more than its GEMMs save (thresholds measured with `smile-bench nn --per-layer`, one core). Tiny channel
    /// counts (an RGB or grey first layer) leave the Winograd GEMMs too thin.
    ///
    /// With packed weights nothing is repacked per call, so F(2x2) wins from 64 positions (16 tiles, one full
    /// 16-column micro-tile per GEMM). Measured with `smile-bench nn --per-layer --repeats 20`, `taskset -c 1`,
    /// batch 1, EPYC (2 vCPU, noisy): width 1 block 4 (512 channels, 8x8) F(2x2) 2.4-2.7 ms per layer against
    /// 5.2-6.5 ms for packed im2col and 5.6-6.7 ms for F(4x4) (4 tiles per GEMM, padded to 16); block 5 (4x4)
    /// packed im2col 1.5-1.8 ms against 2.2-2.6 ms for F(2x2); width 0.25 block 4 (128 channels) F(2x2) 0.24
    /// against 0.44 ms, block 5 F(2x2) 0.19 against 0.17 ms. F(4x4) also for 128 input channels on maps of at
    /// most 16x16 (alternating runs, medians; batch 32 of 5 runs x 5 repeats): batch 32 block3_conv1 (128 in,
    /// 16x16) 52 ms against 68 ms for F(2x2) in every run, batch 1 1.2-1.4 ms against 1.5 ms; at 32x32
    /// (block2_conv2) a tie (batch 32 112 against 114 ms, runs from 86 to 127 ms; batch 1 3.15 against 2.99 ms),
    /// so it keeps F(2x2), as does block2_conv1 (64 in: 67-75 against 61-62 ms). Packed GEMMs also beat
    /// OpenBLAS where OpenBLAS repacks little (block 1 and 2, 64-128 channels, 256 tiles per GEMM): a build using
    /// OpenBLAS there was slower on those layers, batch 1 (block1_conv2 4.7 against 4.3 ms) and batch 32 (151
    /// against 123 ms). F(4x4) also for narrow layers (at most 32 input channels, as in a width-0.25 model's
    /// blocks 1-2 and block3_conv1, or the shipped width-0.125 model's blocks 2-3), whose time goes to the tile transforms, of which F(4x4) has fewer per
    /// output (`smile-bench nn --per-layer`, 3 alternated rounds, batch 19: block1_conv2 6.0-9.4 ms against
    /// 9.4-13.3, block2_conv2 4.1-6.1 against 6.3-8.6, block3_conv1 2.1-2.8 against 2.6-3.4; batch 1 likewise
    /// but for one noisy round). With 64 channels it is no faster (full width block1_conv2: 4.1-4.6 against
    /// 4.0-4.1 ms at batch 1), so those keep F(2x2).
    static func choice(
        inputChannels: Int, outputChannels: Int, batch: Int, height: Int, width: Int,
        packed: Bool = PackedConvolutionWeights.isSupported
    ) -> WinogradTile? {
        let positions = batch * height * width
        guard inputChannels >= 16 && outputChannels >= 16 && positions >= (packed ? 64 : 128) else { return nil }
        let deep = inputChannels >= 256 || (packed && inputChannels >= 128 && height * width <= 256)
        let narrow = packed && inputChannels <= 32
        return (deep || narrow) && positions >= 256 ? .f4x4 : .f2x2
    }

    /// Tile rows per chunk for `tilesW` tiles per row.
    func rowsPerChunk(tilesW: Int, totalRows: Int) -> Int {
        max(1, min(totalRows, (chunkTiles + tilesW - 1) / tilesW))
    }

    /// Convolves `input` `[N, in, H, W]` into `output` `[N, out, H, W]` (reusing its storage when the shape repeats).
    func forward(_ input: Tensor, weight: Parameter, bias: Parameter?, fusedReLU: Bool, into output: inout Tensor) {
        weights.prepare(weight)
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let cin = inputChannels, cout = outputChannels
        let tm = tile.m, positions = tile.positions, tileKind = tile
        let tilesH = (h + tm - 1) / tm, tilesW = (w + tm - 1) / tm
        let totalRows = n * tilesH
        let chunkRows = rowsPerChunk(tilesW: tilesW, totalRows: totalRows)
        let tilesPerChunk = chunkRows * tilesW
        let scratch = WinogradScratch.current
        ensureCapacity(&scratch.v, positions * cin * tilesPerChunk)
        ensureCapacity(&scratch.m, positions * cout * tilesPerChunk)
        ensureCapacity(&scratch.input, winogradInputScratchCount(tilesW: tilesW, tile: tile))
        ensureCapacity(&scratch.output, winogradOutputScratchCount(tiles: tilesPerChunk, tile: tile))
        if scratch.zeros.count < w { scratch.zeros = [Float](repeating: 0, count: w) }
        output.reuse(shape: [n, cout, h, w])
        let relu = fusedReLU
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                    scratch.v.withUnsafeMutableBufferPointer { vb in
                        scratch.m.withUnsafeMutableBufferPointer { mb in
                            scratch.input.withUnsafeMutableBufferPointer { isb in
                                scratch.output.withUnsafeMutableBufferPointer { osb in
                                    scratch.zeros.withUnsafeBufferPointer { zb in
                                        withBias(bias) { bp in
                                            let x = xb.baseAddress!, y = yb.baseAddress!
                                            let vp = vb.baseAddress!, mp = mb.baseAddress!
                                            var first = 0
                                            while first < totalRows {
                                                let rows = min(chunkRows, totalRows - first)
                                                let tiles = rows * tilesW
                                                let transformInput = tileKind == .f2x2 ? winogradTransformInput : winograd4x4TransformInput
                                                transformInput(
                                                    x, cin, h, w, tilesH, tilesW, first, rows, zb.baseAddress!, isb.baseAddress!, vp)
                                                weights.multiply(v: vp, tiles: tiles, into: mp, workspace: &scratch.packedWorkspace)
                                                let transformOutput = tileKind == .f2x2 ? winogradTransformOutput : winograd4x4TransformOutput
                                                transformOutput(
                                                    mp, cout, h, w, tilesH, tilesW, first, rows, bp, relu, osb.baseAddress!, y)
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

/// Calls `body` with a pointer to the bias values, or nil without a bias.
@inline(__always)
private func withBias<R>(_ bias: Parameter?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let bias else { return body(nil) }
    return bias.value.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}
