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
/// `x` is the whole NCHW batch; `zeros` holds at least `width` zeros; `scratch` at least `4 * (2 * tilesW + 2)`
/// floats, whose contents are overwritten.
func winogradTransformInput(
    _ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, zeros: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    into v: UnsafeMutablePointer<Float>
) {
    let paddedWidth = 2 * tilesW + 2
    let tiles = rows * tilesW, stride = channels * tiles
    // Four rows of Bᵀ d over the padded width; columns 0 and > width stay zero (the padding).
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
            let d0 = row(0), d1 = row(1), d2 = row(2), d3 = row(3)
            for i in 0..<width {
                let a = d0[i], b = d1[i], cc = d2[i], d = d3[i]
                t0[i + 1] = a - cc
                t1[i + 1] = b + cc
                t2[i + 1] = cc - b
                t3[i + 1] = b - d
            }
            let out = v + c * tiles + r * tilesW
            for k in 0..<4 {
                let t = t0 + k * paddedWidth
                let o0 = out + (4 * k) * stride, o1 = o0 + stride, o2 = o1 + stride, o3 = o2 + stride
                for tx in 0..<tilesW {
                    let a0 = t[2 * tx], a1 = t[2 * tx + 1], a2 = t[2 * tx + 2], a3 = t[2 * tx + 3]
                    o0[tx] = a0 - a2
                    o1[tx] = a1 + a2
                    o2[tx] = a2 - a1
                    o3[tx] = a1 - a3
                }
            }
        }
    }
}

/// Turns the products `m[16][channels][rows * tilesW]` of tile rows `firstRow ..< firstRow + rows` into output
/// pixels (`Y = Aᵀ M A`), adding `bias` and applying `max(0, ·)` when `relu`, and writes them into the NCHW
/// output `y` of `height x width` (odd sizes: the last tile's extra row/column is dropped).
///
/// `scratch` holds at least `4 * tilesW` floats.
func winogradTransformOutput(
    _ m: UnsafePointer<Float>, channels: Int, height: Int, width: Int, tilesH: Int, tilesW: Int,
    firstRow: Int, rows: Int, bias: UnsafePointer<Float>?, relu: Bool,
    scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>
) {
    let tiles = rows * tilesW, stride = channels * tiles
    let s0 = scratch, s1 = scratch + 2 * tilesW
    // Channel-major: each product row (ξ, o) is then read front to back.
    for o in 0..<channels {
        for r in 0..<rows {
            let tileRow = firstRow + r
            let image = tileRow / tilesH, ty = tileRow % tilesH
            let src = m + o * tiles + r * tilesW
            let m0 = src, m1 = m0 + stride, m2 = m1 + stride, m3 = m2 + stride
            let m4 = m3 + stride, m5 = m4 + stride, m6 = m5 + stride, m7 = m6 + stride
            let m8 = m7 + stride, m9 = m8 + stride, m10 = m9 + stride, m11 = m10 + stride
            let m12 = m11 + stride, m13 = m12 + stride, m14 = m13 + stride, m15 = m14 + stride
            for tx in 0..<tilesW {
                // Aᵀ M: output row 0 (p) and row 1 (q), per tile column.
                let p0 = m0[tx] + m4[tx] + m8[tx], q0 = m4[tx] - m8[tx] - m12[tx]
                let p1 = m1[tx] + m5[tx] + m9[tx], q1 = m5[tx] - m9[tx] - m13[tx]
                let p2 = m2[tx] + m6[tx] + m10[tx], q2 = m6[tx] - m10[tx] - m14[tx]
                let p3 = m3[tx] + m7[tx] + m11[tx], q3 = m7[tx] - m11[tx] - m15[tx]
                // (Aᵀ M) A: output columns 0 and 1.
                s0[2 * tx] = p0 + p1 + p2
                s0[2 * tx + 1] = p1 - p2 - p3
                s1[2 * tx] = q0 + q1 + q2
                s1[2 * tx + 1] = q1 - q2 - q3
            }
            let b = bias?[o] ?? 0
            let plane = y + (image * channels + o) * height * width
            let oy = 2 * ty
            winogradStoreRow(s0, bias: b, relu: relu, count: width, into: plane + oy * width)
            if oy + 1 < height { winogradStoreRow(s1, bias: b, relu: relu, count: width, into: plane + (oy + 1) * width) }
        }
    }
}

/// `dst[i] = src[i] + bias` (then `max(0, ·)` when `relu`) for `i < count`.
@inline(__always)
func winogradStoreRow(
    _ src: UnsafePointer<Float>, bias: Float, relu: Bool, count: Int, into dst: UnsafeMutablePointer<Float>
) {
    if relu {
        for i in 0..<count { dst[i] = max(src[i] + bias, 0) }
    } else {
        for i in 0..<count { dst[i] = src[i] + bias }
    }
}
