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
/// `zeros` holds at least `width` zeros; `scratch` at least `6 * (4 * tilesW + 2)` floats (overwritten).
func winograd4x4TransformInput(
    _ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, zeros: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    into v: UnsafeMutablePointer<Float>
) {
    let paddedWidth = 4 * tilesW + 2
    let tiles = rows * tilesW, stride = channels * tiles
    scratch.update(repeating: 0, count: 6 * paddedWidth)
    let t0 = scratch + 1, t1 = t0 + paddedWidth, t2 = t1 + paddedWidth
    let t3 = t2 + paddedWidth, t4 = t3 + paddedWidth, t5 = t4 + paddedWidth
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
            let d0 = row(0), d1 = row(1), d2 = row(2), d3 = row(3), d4 = row(4), d5 = row(5)
            // Bᵀ d down the columns, for the whole row at once.
            for i in 0..<width {
                let a0 = d0[i], a1 = d1[i], a2 = d2[i], a3 = d3[i], a4 = d4[i], a5 = d5[i]
                let p = a4 - 4 * a2, q = a3 - 4 * a1, s = a4 - a2, e = 2 * (a3 - a1)
                t0[i] = 4 * a0 - 5 * a2 + a4
                t1[i] = p + q
                t2[i] = p - q
                t3[i] = s + e
                t4[i] = s - e
                t5[i] = 4 * a1 - 5 * a3 + a5
            }
            let out = v + c * tiles + r * tilesW
            for k in 0..<6 {
                let t = scratch + k * paddedWidth
                let o0 = out + (6 * k) * stride, o1 = o0 + stride, o2 = o1 + stride
                let o3 = o2 + stride, o4 = o3 + stride, o5 = o4 + stride
                for tx in 0..<tilesW {
                    let b = t + 4 * tx
                    let a0 = b[0], a1 = b[1], a2 = b[2], a3 = b[3], a4 = b[4], a5 = b[5]
                    let p = a4 - 4 * a2, q = a3 - 4 * a1, s = a4 - a2, e = 2 * (a3 - a1)
                    o0[tx] = 4 * a0 - 5 * a2 + a4
                    o1[tx] = p + q
                    o2[tx] = p - q
                    o3[tx] = s + e
                    o4[tx] = s - e
                    o5[tx] = 4 * a1 - 5 * a3 + a5
                }
            }
        }
    }
}

/// Turns the products `m[36][channels][rows * tilesW]` into output pixels (`Y = Aᵀ M A`) plus `bias`, with
/// `max(0, ·)` when `relu`, written into the NCHW output `y` of `height x width` (partial last tiles clipped).
///
/// `scratch` holds at least `6 * 4 * tilesW + 4 * 4 * tilesW` floats.
func winograd4x4TransformOutput(
    _ m: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, bias: UnsafePointer<Float>?, relu: Bool,
    scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
) {
    let tiles = rows * tilesW, stride = channels * tiles
    // Aᵀ M: 4 rows of each tile's 6 columns, stored as 4 rows x 6 columns per tile.
    let rowsBuffer = scratch
    let s = scratch + 24 * tilesW
    let n = 4 * tilesW
    // Channel-major: each product row (ξ, o) is then read front to back.
    for o in 0..<channels {
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let src = m + o * tiles + r * tilesW
            for l in 0..<6 {
                let m0 = src + l * stride, m1 = m0 + 6 * stride, m2 = m1 + 6 * stride
                let m3 = m2 + 6 * stride, m4 = m3 + 6 * stride, m5 = m4 + 6 * stride
                let c0 = rowsBuffer + l * tilesW, c1 = c0 + 6 * tilesW, c2 = c1 + 6 * tilesW, c3 = c2 + 6 * tilesW
                for tx in 0..<tilesW {
                    let a1 = m1[tx] + m2[tx], a2 = m1[tx] - m2[tx], a3 = m3[tx] + m4[tx], a4 = m3[tx] - m4[tx]
                    c0[tx] = m0[tx] + a1 + a3
                    c1[tx] = a2 + 2 * a4
                    c2[tx] = a1 + 4 * a3
                    c3[tx] = a2 + 8 * a4 + m5[tx]
                }
            }
            // (Aᵀ M) A along each of the 4 rows.
            for k in 0..<4 {
                let c = rowsBuffer + k * 6 * tilesW
                let m0 = c, m1 = m0 + tilesW, m2 = m1 + tilesW, m3 = m2 + tilesW, m4 = m3 + tilesW, m5 = m4 + tilesW
                let d = s + k * n
                for tx in 0..<tilesW {
                    let a1 = m1[tx] + m2[tx], a2 = m1[tx] - m2[tx], a3 = m3[tx] + m4[tx], a4 = m3[tx] - m4[tx]
                    d[4 * tx] = m0[tx] + a1 + a3
                    d[4 * tx + 1] = a2 + 2 * a4
                    d[4 * tx + 2] = a1 + 4 * a3
                    d[4 * tx + 3] = a2 + 8 * a4 + m5[tx]
                }
            }
            let b = bias?[o] ?? 0
            let plane = y + (image * channels + o) * height * width
            for k in 0..<min(4, height - 4 * ty) {
                winogradStoreRow(s + k * n, bias: b, relu: relu, count: width, into: plane + (4 * ty + k) * width)
            }
        }
    }
}
