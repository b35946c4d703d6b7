// The transforms of Winograd F(4x4, 3x3) (Lavin & Gray 2016, interpolation points 0, ±1, ±2, ∞):
// a 4x4 output tile from a 6x6 input tile, `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`, with
//
//     Bᵀ = [4  0 -5  0  1  0]     G = [ 1/4    0     0  ]     Aᵀ = [1  1  1  1  1  0]
//          [0 -4 -4  1  1  0]         [-1/6 -1/6  -1/6 ]          [0  1 -1  2 -2  0]
//          [0  4 -4 -1  1  0]         [-1/6  1/6  -1/6 ]          [0  1  1  4  4  0]
//          [0 -2 -1  2  1  0]         [1/24  1/12  1/6 ]          [0  1 -1  8 -8  1]
//          [0  2 -1 -2  1  0]         [1/24 -1/12  1/6 ]
//          [0  4  0 -5  0  1]         [ 0     0     1  ]
//
// 36 positions (ξ = 6k + l), 2.25 multiplications per output instead of 9 (F(2x2): 4), at the price of
// larger transforms and rounding error of about 1e-4 relative (F(2x2): 1e-6). Layout and tile numbering
// as in `WinogradTransforms.swift`, with tile (ty, tx) covering output rows 4ty ... 4ty+3 and reading
// input rows 4ty-1 ... 4ty+4.

/// Transforms weights `[outputs, inputs, 3, 3]` into `u[36][outputs][inputs]` (`U = G g Gᵀ`).
func winograd4x4TransformWeights(
    _ w: UnsafePointer<Float>, outputs: Int, inputs: Int, into u: UnsafeMutablePointer<Float>
) {
    let stride = outputs * inputs
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 18) { tb in
        let t = tb.baseAddress!
        for idx in 0..<stride {
            let g = w + idx * 9
            for j in 0..<3 {
                let (r0, r1, r2, r3, r4, r5) = kernelTransform(g[j], g[3 + j], g[6 + j])
                t[j] = r0; t[3 + j] = r1; t[6 + j] = r2; t[9 + j] = r3; t[12 + j] = r4; t[15 + j] = r5
            }
            for r in 0..<6 {
                let (c0, c1, c2, c3, c4, c5) = kernelTransform(t[r * 3], t[r * 3 + 1], t[r * 3 + 2])
                let base = u + r * 6 * stride + idx
                base[0] = c0; base[stride] = c1; base[2 * stride] = c2
                base[3 * stride] = c3; base[4 * stride] = c4; base[5 * stride] = c5
            }
        }
    }
}

/// `G (g0, g1, g2)ᵀ`.
@inline(__always)
private func kernelTransform(_ g0: Float, _ g1: Float, _ g2: Float) -> (Float, Float, Float, Float, Float, Float) {
    let s = g0 + g2
    return (g0 / 4, -(s + g1) / 6, -(s - g1) / 6, g0 / 24 + g1 / 12 + g2 / 6, g0 / 24 - g1 / 12 + g2 / 6, g2)
}

/// Transforms the input tiles of tile rows `firstRow ..< firstRow + rows` into `v[36][channels][rows * tilesW]`.
///
/// `zeros` holds at least `width` zeros; `scratch` at least `winogradInputScratchCount(tilesW:tile:)` floats
/// (overwritten).
///
/// As for F(2x2): per channel and tile row, `Bᵀ d` down the columns of the 6 input rows into 6 padded scratch
/// rows, then `(Bᵀ d) B` along each row, 4 tiles per step (their 6 columns each gathered by 4x4 transposes),
/// both passes in the same 16-byte blocks of the scratch rows.
func winograd4x4TransformInput(
    _ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, zeros: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    into v: UnsafeMutablePointer<Float>
) {
    let paddedWidth = winogradPaddedRowCount(tilesW: tilesW, m: 4)
    let tiles = rows * tilesW, stride = channels * tiles
    // Column 0 is image column -1; the slack past the tiles' columns, read by the last step but never used,
    // starts as zeros.
    scratch.update(repeating: 0, count: 6 * paddedWidth)
    // Channel-major: each of the transformed rows (ξ, c) is then written front to back.
    for c in 0..<channels {
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let y0 = 4 * ty - 1
            let plane = x + (image * channels + c) * height * width
            func row(_ k: Int) -> UnsafePointer<Float> {
                let iy = y0 + k
                return iy >= 0 && iy < height ? plane + iy * width : zeros
            }
            inputColumns4x4(
                (row(0), row(1), row(2), row(3), row(4), row(5)), width: width, paddedCount: 4 * tilesW + 2,
                into: scratch, rowStride: paddedWidth)
            let out = v + c * tiles + r * tilesW
            for k in 0..<6 {
                inputRow4x4(scratch + k * paddedWidth, tilesW: tilesW, into: out + (6 * k) * stride, stride: stride)
            }
        }
    }
}

/// `Bᵀ d` of one row of 6-tall tiles: combines input rows `d.0 ... d.5` (`width` columns each) down the columns
/// into the 6 rows `t + k * rowStride` at padded columns `0 ..< paddedCount` (rounded up to a multiple of 4),
/// padded column `q` being image column `q - 1` (zero outside the image).
@inline(__always)
private func inputColumns4x4(
    _ d: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    width: Int, paddedCount: Int, into t: UnsafeMutablePointer<Float>, rowStride: Int
) {
    var q = 0
    while q < paddedCount {
        let i = q - 1
        let a0 = loadFloat4(d.0, column: i, width: width), a1 = loadFloat4(d.1, column: i, width: width)
        let a2 = loadFloat4(d.2, column: i, width: width), a3 = loadFloat4(d.3, column: i, width: width)
        let a4 = loadFloat4(d.4, column: i, width: width), a5 = loadFloat4(d.5, column: i, width: width)
        let (r0, r1, r2, r3, r4, r5) = inputTransform4x4(a0, a1, a2, a3, a4, a5)
        let o = t + q
        storeFloat4(r0, o)
        storeFloat4(r1, o + rowStride)
        storeFloat4(r2, o + 2 * rowStride)
        storeFloat4(r3, o + 3 * rowStride)
        storeFloat4(r4, o + 4 * rowStride)
        storeFloat4(r5, o + 5 * rowStride)
        q += 4
    }
}

/// `(Bᵀ d) B` along one padded row `t` of `Bᵀ d` (`t[0]` is column -1): tile `tx` combines `t[4tx ... 4tx+5]` into
/// `o[l * stride + tx]`, `l = 0 ... 5`.
///
/// Reads up to `t[4 * tilesW + 15]`; writes only tiles `0 ..< tilesW`.
@inline(__always)
private func inputRow4x4(_ t: UnsafePointer<Float>, tilesW: Int, into o: UnsafeMutablePointer<Float>, stride: Int) {
    var tx = 0
    while tx < tilesW {
        // Rows of the transposes are the tiles' first 4 columns (and those of the next tile): lane j of `aK`
        // is column 4(tx+j)+K.
        let b = t + 4 * tx
        let c0 = loadFloat4(b), c1 = loadFloat4(b + 4), c2 = loadFloat4(b + 8), c3 = loadFloat4(b + 12)
        let c4 = loadFloat4(b + 16)
        let (a0, a1, a2, a3) = transpose(c0, c1, c2, c3)
        let (a4, a5, _, _) = transpose(c1, c2, c3, c4)
        let (r0, r1, r2, r3, r4, r5) = inputTransform4x4(a0, a1, a2, a3, a4, a5)
        let n = tilesW - tx
        storeFloat4(r0, o + tx, count: n)
        storeFloat4(r1, o + stride + tx, count: n)
        storeFloat4(r2, o + 2 * stride + tx, count: n)
        storeFloat4(r3, o + 3 * stride + tx, count: n)
        storeFloat4(r4, o + 4 * stride + tx, count: n)
        storeFloat4(r5, o + 5 * stride + tx, count: n)
        tx += 4
    }
}

/// `Bᵀ (a0, ..., a5)ᵀ`, lane-wise.
@inline(__always)
private func inputTransform4x4(
    _ a0: SIMD4<Float>, _ a1: SIMD4<Float>, _ a2: SIMD4<Float>, _ a3: SIMD4<Float>, _ a4: SIMD4<Float>, _ a5: SIMD4<Float>
) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let p = a4 - 4 * a2, q = a3 - 4 * a1, s = a4 - a2, e = 2 * (a3 - a1)
    return (4 * a0 - 5 * a2 + a4, p + q, p - q, s + e, s - e, 4 * a1 - 5 * a3 + a5)
}

/// Turns the products `m[36][channels][rows * tilesW]` into output pixels (`Y = Aᵀ M A`) plus `bias`, with
/// `max(0, ·)` when `relu`, written into the NCHW output `y` of `height x width` (partial last tiles clipped).
///
/// `scratch` holds at least `winogradOutputScratchCount(tiles: rows * tilesW, tile: .f4x4)` floats.
///
/// Per output channel, first `Aᵀ M` (4 rows x 6 columns per tile) of every tile of the chunk, 4 tiles per step
/// over the channel's contiguous product rows, into `c[4][6][tiles]` in `scratch`; then per tile row and output
/// row `(Aᵀ M) A`, 4 tiles per step, transposed so that each tile's 4 pixels are stored together.
func winograd4x4TransformOutput(
    _ m: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, bias: UnsafePointer<Float>?, relu: Bool,
    scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
) {
    let tiles = rows * tilesW, stride = channels * tiles
    let cs = winogradOutputScratchStride(tiles: tiles)
    for o in 0..<channels {
        let src = m + o * tiles
        for l in 0..<6 {
            outputColumns4x4(src + l * stride, stride: 6 * stride, tiles: tiles, into: scratch + l * cs, rowStride: 6 * cs)
        }
        let b = bias?[o] ?? 0
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let plane = y + (image * channels + o) * height * width
            for k in 0..<min(4, height - 4 * ty) {
                outputRow4x4(
                    scratch + k * 6 * cs + r * tilesW, stride: cs, tilesW: tilesW, width: width, bias: b, relu: relu,
                    into: plane + (4 * ty + k) * width)
            }
        }
    }
}

/// `Aᵀ M` for one column `l` of `tiles` tiles: combines the 6 product rows `m + k * stride` (positions `6k + l`)
/// into the 4 rows `c + k * rowStride`. Reads nothing past each product row; writes up to 3 floats past `tiles`.
@inline(__always)
private func outputColumns4x4(
    _ m: UnsafePointer<Float>, stride: Int, tiles: Int, into c: UnsafeMutablePointer<Float>, rowStride: Int
) {
    var j = 0
    while j < tiles {
        let n = tiles - j
        let p = m + j
        let (r0, r1, r2, r3) = outputTransform4x4(
            loadFloat4(p, count: n), loadFloat4(p + stride, count: n), loadFloat4(p + 2 * stride, count: n),
            loadFloat4(p + 3 * stride, count: n), loadFloat4(p + 4 * stride, count: n), loadFloat4(p + 5 * stride, count: n))
        storeFloat4(r0, c + j)
        storeFloat4(r1, c + rowStride + j)
        storeFloat4(r2, c + 2 * rowStride + j)
        storeFloat4(r3, c + 3 * rowStride + j)
        j += 4
    }
}

/// One output row of a tile row: `(Aᵀ M) A` of the 6 rows `c + l * stride` (tile `tx` at index `tx`), plus
/// `bias`, `max(0, ·)` when `relu`, into `dst[4tx ... 4tx+3]` clipped to `width` columns. Reads up to 3 floats
/// past each row's `tilesW` tiles.
@inline(__always)
private func outputRow4x4(
    _ c: UnsafePointer<Float>, stride: Int, tilesW: Int, width: Int, bias: Float, relu: Bool,
    into dst: UnsafeMutablePointer<Float>
) {
    var tx = 0
    while tx < tilesW {
        let p = c + tx
        // Lane j of `yK` is pixel K of tile tx+j; the transpose gathers each tile's 4 pixels.
        let (y0, y1, y2, y3) = outputTransform4x4(
            loadFloat4(p), loadFloat4(p + stride), loadFloat4(p + 2 * stride),
            loadFloat4(p + 3 * stride), loadFloat4(p + 4 * stride), loadFloat4(p + 5 * stride))
        let (t0, t1, t2, t3) = transpose(y0, y1, y2, y3)
        let d = dst + 4 * tx, n = width - 4 * tx
        storeFloat4(biasReLU(t0, bias: bias, relu: relu), d, count: n)
        storeFloat4(biasReLU(t1, bias: bias, relu: relu), d + 4, count: n - 4)
        storeFloat4(biasReLU(t2, bias: bias, relu: relu), d + 8, count: n - 8)
        storeFloat4(biasReLU(t3, bias: bias, relu: relu), d + 12, count: n - 12)
        tx += 4
    }
}

/// `Aᵀ (m0, ..., m5)ᵀ`, lane-wise.
@inline(__always)
private func outputTransform4x4(
    _ m0: SIMD4<Float>, _ m1: SIMD4<Float>, _ m2: SIMD4<Float>, _ m3: SIMD4<Float>, _ m4: SIMD4<Float>, _ m5: SIMD4<Float>
) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let a1 = m1 + m2, a2 = m1 - m2, a3 = m3 + m4, a4 = m3 - m4
    return (m0 + a1 + a3, a2 + 2 * a4, a1 + 4 * a3, a2 + 8 * a4 + m5)
}
