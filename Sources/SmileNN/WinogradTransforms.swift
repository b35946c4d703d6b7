// The three transforms of Winograd's minimal filtering algorithm F(2x2, 3x3) (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016): a 2x2 output tile is
// `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A` for a 3x3 kernel `g` and the 4x4 input tile `d` around it, with
//
//     Bᵀ = [1  0 -1  0]     G = [ 1    0    0 ]     Aᵀ = [1  1  1  0]
//          [0  1  1  0]         [1/2  1/2  1/2]          [0  1 -1 -1]
//          [0 -1  1  0]         [1/2 -1/2  1/2]
//          [0  1  0 -1]         [ 0    0    1 ]
//
// Transformed arrays are "position-major": element (ξ, row, column) of 16 matrices, ξ = 4 * k + l for
// tile position (k, l), so each of the 16 products is one GEMM on contiguous matrices.
// Tiles are numbered row by row: tile row `R = image * tilesH + ty`, tile `R * tilesW + tx`; tile (ty, tx)
// covers output rows 2ty, 2ty+1 and columns 2tx, 2tx+1, and reads input rows 2ty-1 ... 2ty+2 (padding 1).

/// Transforms weights `[outputs, inputs, 3, 3]` into `u[16][outputs][inputs]` (`U = G g Gᵀ`).
func winogradTransformWeights(
    _ w: UnsafePointer<Float>, outputs: Int, inputs: Int, into u: UnsafeMutablePointer<Float>
) {
    let stride = outputs * inputs
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { tb in
        let t = tb.baseAddress!
        for idx in 0..<stride {
            let g = w + idx * 9
            // t = G g (4x3): combine the kernel's rows.
            for j in 0..<3 {
                let a = g[j], b = g[3 + j], c = g[6 + j]
                t[j] = a
                t[3 + j] = (a + b + c) * 0.5
                t[6 + j] = (a - b + c) * 0.5
                t[9 + j] = c
            }
            // U = t Gᵀ (4x4): combine the columns.
            for r in 0..<4 {
                let a = t[r * 3], b = t[r * 3 + 1], c = t[r * 3 + 2]
                u[(r * 4 + 0) * stride + idx] = a
                u[(r * 4 + 1) * stride + idx] = (a + b + c) * 0.5
                u[(r * 4 + 2) * stride + idx] = (a - b + c) * 0.5
                u[(r * 4 + 3) * stride + idx] = c
            }
        }
    }
}

/// Transforms the input tiles of tile rows `firstRow ..< firstRow + rows` into `v[16][channels][rows * tilesW]`
/// (`V = Bᵀ d B`, zero padding outside the image).
///
/// `x` is the whole NCHW batch; `zeros` holds at least `width` zeros; `scratch` at least
/// `winogradInputScratchCount(tilesW:tile:)` floats, whose contents are overwritten.
///
/// Per channel and tile row, `Bᵀ d` combines the tile row's 4 input rows down the columns into 4 padded scratch
/// rows, 4 columns per step, then `(Bᵀ d) B` combines each scratch row along the columns, 4 tiles per step: the
/// 10 columns of 4 overlapping tiles are split into even and odd columns in registers, so each of the 4 results
/// is 4 tiles' values of one position, stored contiguously into `v`. Both passes access the scratch rows in
/// the same 16-byte blocks (padded columns 4i ..< 4i + 4), so the second pass's loads are served by the first
/// pass's stores still in flight; loads straddling two such stores would stall.
func winogradTransformInput(
    _ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, zeros: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    into v: UnsafeMutablePointer<Float>
) {
    let paddedWidth = winogradPaddedRowCount(tilesW: tilesW, m: 2)
    let tiles = rows * tilesW, stride = channels * tiles
    // Four rows of Bᵀ d over the padded width (column 0 is image column -1); the slack past the tiles' columns,
    // read by the last step but never used, starts as zeros.
    scratch.update(repeating: 0, count: 4 * paddedWidth)
    let t0 = scratch, t1 = t0 + paddedWidth, t2 = t1 + paddedWidth, t3 = t2 + paddedWidth
    // Channel-major: each of the transformed rows (ξ, c) is then written front to back.
    for c in 0..<channels {
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let y0 = 2 * ty - 1
            let plane = x + (image * channels + c) * height * width
            func row(_ k: Int) -> UnsafePointer<Float> {
                let iy = y0 + k
                return iy >= 0 && iy < height ? plane + iy * width : zeros
            }
            inputColumns2x2(
                (row(0), row(1), row(2), row(3)), width: width, paddedCount: 2 * tilesW + 2, into: (t0, t1, t2, t3))
            let out = v + c * tiles + r * tilesW
            for k in 0..<4 {
                inputRow2x2(t0 + k * paddedWidth, tilesW: tilesW, into: out + (4 * k) * stride, stride: stride)
            }
        }
    }
}

/// Floats per padded scratch row of the input transforms (F(m x m, 3x3), m = 2 or 4): the left padding column,
/// `m * tilesW` columns, and slack for the 4-tile steps' loads past the last tile.
@inline(__always)
func winogradPaddedRowCount(tilesW: Int, m: Int) -> Int {
    m * tilesW + 4 * m + 4
}

/// Scratch floats `winogradTransformInput` (F(2x2)) and `winograd4x4TransformInput` need for `tilesW` tiles per row.
func winogradInputScratchCount(tilesW: Int, tile: WinogradTile) -> Int {
    (tile.m + 2) * winogradPaddedRowCount(tilesW: tilesW, m: tile.m)
}

/// `Bᵀ d` down the columns of input rows `d.0 ... d.3` (`width` columns each): `t0 = d0 - d2`, `t1 = d1 + d2`,
/// `t2 = d2 - d1`, `t3 = d1 - d3` at padded columns `0 ..< paddedCount` (rounded up to a multiple of 4) of the
/// rows `t`, padded column `q` being image column `q - 1` (zero outside the image).
@inline(__always)
private func inputColumns2x2(
    _ d: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    width: Int, paddedCount: Int,
    into t: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
) {
    var q = 0
    while q < paddedCount {
        let a = loadFloat4(d.0, column: q - 1, width: width), b = loadFloat4(d.1, column: q - 1, width: width)
        let c = loadFloat4(d.2, column: q - 1, width: width), e = loadFloat4(d.3, column: q - 1, width: width)
        storeFloat4(a - c, t.0 + q)
        storeFloat4(b + c, t.1 + q)
        storeFloat4(c - b, t.2 + q)
        storeFloat4(b - e, t.3 + q)
        q += 4
    }
}

/// `(Bᵀ d) B` along one padded row `t` of `Bᵀ d` (`t[0]` is column -1): tile `tx` combines `a = t[2tx ... 2tx+3]`
/// into `o[tx] = a0 - a2`, `o[stride + tx] = a1 + a2`, `o[2 stride + tx] = a2 - a1`, `o[3 stride + tx] = a1 - a3`.
///
/// Reads up to `t[2 * tilesW + 9]`, in 16-byte blocks at multiples of 4 floats; writes only tiles `0 ..< tilesW`.
@inline(__always)
private func inputRow2x2(_ t: UnsafePointer<Float>, tilesW: Int, into o: UnsafeMutablePointer<Float>, stride: Int) {
    var tx = 0
    while tx < tilesW {
        // Columns 2tx ... 2tx+11; lane j of `aK` is column 2(tx+j)+K.
        let c0 = loadFloat4(t + 2 * tx), c1 = loadFloat4(t + 2 * tx + 4), c2 = loadFloat4(t + 2 * tx + 8)
        let a0 = SIMD4(c0[0], c0[2], c1[0], c1[2]), a1 = SIMD4(c0[1], c0[3], c1[1], c1[3])
        let a2 = SIMD4(a0[1], a0[2], a0[3], c2[0]), a3 = SIMD4(a1[1], a1[2], a1[3], c2[1])
        let n = tilesW - tx
        storeFloat4(a0 - a2, o + tx, count: n)
        storeFloat4(a1 + a2, o + stride + tx, count: n)
        storeFloat4(a2 - a1, o + 2 * stride + tx, count: n)
        storeFloat4(a1 - a3, o + 3 * stride + tx, count: n)
        tx += 4
    }
}

/// Turns the products `m[16][channels][rows * tilesW]` of tile rows `firstRow ..< firstRow + rows` into output
/// pixels (`Y = Aᵀ M A`), adding `bias` and applying `max(0, ·)` when `relu`, and writes them into the NCHW
/// output `y` of `height x width` (odd sizes: the last tile's extra row/column is dropped).
///
/// `scratch` holds at least `winogradOutputScratchCount(tiles: rows * tilesW, tile: .f2x2)` floats.
///
/// Per output channel, first `Aᵀ M` of every tile of the chunk, one column `l` at a time (4 tiles per step over
/// the channel's contiguous product rows), into `s[8][tiles]` in `scratch`; then per tile row `(Aᵀ M) A`, with
/// the tiles' left and right pixels zipped into the two output rows. Reading only the 4 product rows of one
/// column at a time matters: the 16 rows lie `channels * tiles` floats apart, often a multiple of 4 KiB, so
/// they compete for the same few L1 cache ways, and reading all 16 at once evicts each line between its
/// 16-byte loads.
func winogradTransformOutput(
    _ m: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, bias: UnsafePointer<Float>?, relu: Bool,
    scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
) {
    let tiles = rows * tilesW, stride = channels * tiles
    let ss = winogradOutputScratchStride(tiles: tiles)
    for o in 0..<channels {
        for l in 0..<4 {
            outputColumn2x2(m + l * stride + o * tiles, stride: 4 * stride, tiles: tiles, into: scratch + l * ss, scratch + (4 + l) * ss)
        }
        let b = bias?[o] ?? 0
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let plane = y + (image * channels + o) * height * width
            let oy = 2 * ty
            let s = scratch + r * tilesW
            outputRow2x2(s, stride: ss, tilesW: tilesW, width: width, bias: b, relu: relu, into: plane + oy * width)
            if oy + 1 < height {
                outputRow2x2(s + 4 * ss, stride: ss, tilesW: tilesW, width: width, bias: b, relu: relu, into: plane + (oy + 1) * width)
            }
        }
    }
}

/// Floats between the rows of the output transforms' scratch for `tiles` tiles (room for the last 4-tile
/// step's full stores, and an odd number of 16-byte blocks so the rows fall into different cache sets).
@inline(__always)
func winogradOutputScratchStride(tiles: Int) -> Int {
    (tiles + 3) / 8 * 8 + 4
}

/// Scratch floats `winogradTransformOutput` (F(2x2)) and `winograd4x4TransformOutput` need for chunks of up to
/// `tiles` tiles: the 2 x 4 rows of `Aᵀ M` for F(2x2), 4 x 6 for F(4x4).
func winogradOutputScratchCount(tiles: Int, tile: WinogradTile) -> Int {
    (tile == .f2x2 ? 8 : 24) * winogradOutputScratchStride(tiles: tiles)
}

/// Column `l` of `Aᵀ M` for `tiles` tiles, from the product rows `m + k * stride` (positions `4k + l`): row 0
/// into `p` (`m0 + m1 + m2`), row 1 into `q` (`m1 - m2 - m3`). Reads nothing past each product row; writes up
/// to 3 floats past `tiles`.
@inline(__always)
private func outputColumn2x2(
    _ m: UnsafePointer<Float>, stride: Int, tiles: Int, into p: UnsafeMutablePointer<Float>, _ q: UnsafeMutablePointer<Float>
) {
    var j = 0
    while j < tiles {
        let n = tiles - j
        let a = loadFloat4(m + j, count: n), b = loadFloat4(m + stride + j, count: n)
        let c = loadFloat4(m + 2 * stride + j, count: n), d = loadFloat4(m + 3 * stride + j, count: n)
        storeFloat4(a + b + c, p + j)
        storeFloat4(b - c - d, q + j)
        j += 4
    }
}

/// One output row from its tile row's 4 columns of `Aᵀ M` (`s + l * stride`, tile `tx` at index `tx`):
/// `dst[2tx] = s0 + s1 + s2`, `dst[2tx + 1] = s1 - s2 - s3`, plus `bias`, `max(0, ·)` when `relu`, for the
/// `width` columns (`2 * tilesW` or one less). Reads up to 3 floats past each row's `tilesW` tiles.
@inline(__always)
private func outputRow2x2(
    _ s: UnsafePointer<Float>, stride: Int, tilesW: Int, width: Int, bias: Float, relu: Bool,
    into dst: UnsafeMutablePointer<Float>
) {
    var tx = 0
    while tx < tilesW {
        let s0 = loadFloat4(s + tx), s1 = loadFloat4(s + stride + tx)
        let s2 = loadFloat4(s + 2 * stride + tx), s3 = loadFloat4(s + 3 * stride + tx)
        let (lo, hi) = interleave(s0 + s1 + s2, s1 - s2 - s3)
        let n = width - 2 * tx
        storeFloat4(biasReLU(lo, bias: bias, relu: relu), dst + 2 * tx, count: n)
        storeFloat4(biasReLU(hi, bias: bias, relu: relu), dst + 2 * tx + 4, count: n - 4)
        tx += 4
    }
}
