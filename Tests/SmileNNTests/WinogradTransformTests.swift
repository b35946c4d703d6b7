import XCTest
@testable import SmileNN

/// `Bᵀ` of F(2x2, 3x3) and F(4x4, 3x3), rows of `m + 2` entries.
private let inputMatrices: [Int: [[Float]]] = [
    2: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
    4: [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
        [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
]

/// `Aᵀ` of F(2x2, 3x3) and F(4x4, 3x3), `m` rows of `m + 2` entries.
private let outputMatrices: [Int: [[Float]]] = [
    2: [[1, 1, 1, 0], [0, 1, -1, -1]],
    4: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]],
]

/// The Winograd input and output transforms alone against their matrix definitions, on every tile, for sizes
/// that exercise the vectorised loops' edges: maps narrower than 4 columns, tile rows that end inside a
/// 4-tile step (1 ... 3 tiles left over), odd sizes, and chunks of tile rows that start and end inside an
/// image and span two images.
final class WinogradTransformTests: XCTestCase {
    /// Sizes `(batch, channels, height, width)`.
    private let shapes = [(1, 1, 1, 1), (2, 3, 2, 3), (1, 2, 5, 4), (2, 3, 7, 6), (1, 5, 9, 10), (3, 2, 6, 13),
                          (1, 3, 8, 15), (2, 2, 11, 16), (1, 4, 4, 17), (1, 2, 13, 29), (2, 3, 16, 32), (1, 2, 3, 37)]

    func testInputTransformsMatchDefinition() {
        for tile in [WinogradTile.f2x2, .f4x4] {
            for (i, (n, c, h, w)) in shapes.enumerated() {
                let x = randomTensor([n, c, h, w], seed: UInt64(400 + i))
                let tilesH = (h + tile.m - 1) / tile.m, tilesW = (w + tile.m - 1) / tile.m
                for (first, rows) in chunks(totalRows: n * tilesH) {
                    let got = transformInput(x, tile: tile, tilesH: tilesH, tilesW: tilesW, firstRow: first, rows: rows)
                    let expected = referenceInput(x, tile: tile, tilesH: tilesH, tilesW: tilesW, firstRow: first, rows: rows)
                    assertNear(got, expected, tolerance: tile == .f2x2 ? 1e-5 : 1e-4, "\(tile) input \(n)x\(c)x\(h)x\(w) rows \(first)+\(rows)")
                }
            }
        }
    }

    func testOutputTransformsMatchDefinition() {
        for tile in [WinogradTile.f2x2, .f4x4] {
            for (i, (n, c, h, w)) in shapes.enumerated() {
                let tilesH = (h + tile.m - 1) / tile.m, tilesW = (w + tile.m - 1) / tile.m
                let bias = randomTensor([c], seed: UInt64(500 + i)).data
                for (first, rows) in chunks(totalRows: n * tilesH) {
                    let products = randomTensor([tile.positions * c * rows * tilesW], seed: UInt64(600 + i + first)).data
                    for relu in [false, true] {
                        let got = transformOutput(
                            products, tile: tile, shape: (n, c, h, w), firstRow: first, rows: rows, bias: bias, relu: relu)
                        let expected = referenceOutput(
                            products, tile: tile, shape: (n, c, h, w), firstRow: first, rows: rows, bias: bias, relu: relu)
                        assertNear(got, expected, tolerance: tile == .f2x2 ? 1e-5 : 1e-3, "\(tile) output \(n)x\(c)x\(h)x\(w) rows \(first)+\(rows) relu \(relu)")
                    }
                }
            }
        }
    }

    /// `(firstRow, rows)` splits of `totalRows` tile rows: all at once, one by one, and in uneven pieces.
    private func chunks(totalRows: Int) -> [(Int, Int)] {
        var result = [(0, totalRows)]
        result += (0..<totalRows).map { ($0, 1) }
        var first = 0
        while first < totalRows {
            let rows = min(3, totalRows - first)
            result.append((first, rows))
            first += rows
        }
        return result
    }

    private func transformInput(
        _ x: Tensor, tile: WinogradTile, tilesH: Int, tilesW: Int, firstRow: Int, rows: Int
    ) -> [Float] {
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        // NaN-filled output and scratch: every output value must be written, and no stale scratch value used.
        var v = [Float](repeating: .nan, count: tile.positions * c * rows * tilesW)
        var scratch = [Float](repeating: .nan, count: winogradInputScratchCount(tilesW: tilesW, tile: tile))
        let zeros = [Float](repeating: 0, count: w)
        x.data.withUnsafeBufferPointer { xb in
            zeros.withUnsafeBufferPointer { zb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    v.withUnsafeMutableBufferPointer { vb in
                        let f = tile == .f2x2 ? winogradTransformInput : winograd4x4TransformInput
                        f(xb.baseAddress!, c, h, w, tilesH, tilesW, firstRow, rows, zb.baseAddress!, sb.baseAddress!, vb.baseAddress!)
                    }
                }
            }
        }
        return v
    }

    /// `V = Bᵀ d B` of each tile from the definition, in the layout `v[ξ][channel][tile]`.
    private func referenceInput(
        _ x: Tensor, tile: WinogradTile, tilesH: Int, tilesW: Int, firstRow: Int, rows: Int
    ) -> [Float] {
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        let m = tile.m, side = m + 2, bt = inputMatrices[m]!
        let tiles = rows * tilesW
        var v = [Float](repeating: 0, count: tile.positions * c * tiles)
        for ch in 0..<c {
            for r in 0..<rows {
                let image = (firstRow + r) / tilesH, ty = (firstRow + r) % tilesH
                for tx in 0..<tilesW {
                    func d(_ i: Int, _ j: Int) -> Float {
                        let iy = m * ty - 1 + i, ix = m * tx - 1 + j
                        return iy >= 0 && iy < h && ix >= 0 && ix < w ? x.data[((image * c + ch) * h + iy) * w + ix] : 0
                    }
                    for k in 0..<side {
                        for l in 0..<side {
                            var s: Float = 0
                            for i in 0..<side { for j in 0..<side { s += bt[k][i] * d(i, j) * bt[l][j] } }
                            v[((k * side + l) * c + ch) * tiles + r * tilesW + tx] = s
                        }
                    }
                }
            }
        }
        return v
    }

    private func transformOutput(
        _ products: [Float], tile: WinogradTile, shape: (Int, Int, Int, Int), firstRow: Int, rows: Int,
        bias: [Float], relu: Bool
    ) -> [Float] {
        let (n, c, h, w) = shape
        let tilesH = (h + tile.m - 1) / tile.m, tilesW = (w + tile.m - 1) / tile.m
        // NaN-filled: the pixels outside the chunk's tile rows must stay untouched.
        var y = [Float](repeating: .nan, count: n * c * h * w)
        var scratch = [Float](repeating: .nan, count: winogradOutputScratchCount(tiles: rows * tilesW, tile: tile))
        products.withUnsafeBufferPointer { mb in
            bias.withUnsafeBufferPointer { bb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    y.withUnsafeMutableBufferPointer { yb in
                        let f = tile == .f2x2 ? winogradTransformOutput : winograd4x4TransformOutput
                        f(mb.baseAddress!, c, h, w, tilesH, tilesW, firstRow, rows, bb.baseAddress!, relu, sb.baseAddress!, yb.baseAddress!)
                    }
                }
            }
        }
        return y
    }

    /// `Y = Aᵀ M A` of each tile from the definition, plus bias and ReLU, into the chunk's pixels (NaN elsewhere).
    private func referenceOutput(
        _ products: [Float], tile: WinogradTile, shape: (Int, Int, Int, Int), firstRow: Int, rows: Int,
        bias: [Float], relu: Bool
    ) -> [Float] {
        let (n, c, h, w) = shape
        let m = tile.m, side = m + 2, at = outputMatrices[m]!
        let tilesH = (h + m - 1) / m, tilesW = (w + m - 1) / m, tiles = rows * tilesW
        var y = [Float](repeating: .nan, count: n * c * h * w)
        for o in 0..<c {
            for r in 0..<rows {
                let image = (firstRow + r) / tilesH, ty = (firstRow + r) % tilesH
                for tx in 0..<tilesW {
                    func mm(_ k: Int, _ l: Int) -> Float { products[((k * side + l) * c + o) * tiles + r * tilesW + tx] }
                    for i in 0..<m {
                        for j in 0..<m where m * ty + i < h && m * tx + j < w {
                            var s: Float = 0
                            for k in 0..<side { for l in 0..<side { s += at[i][k] * mm(k, l) * at[j][l] } }
                            s += bias[o]
                            y[((image * c + o) * h + m * ty + i) * w + m * tx + j] = relu ? max(s, 0) : s
                        }
                    }
                }
            }
        }
        return y
    }

    /// Element-wise `|a - b| <= tolerance * max(1, |b|)`, NaN matching NaN.
    private func assertNear(
        _ a: [Float], _ b: [Float], tolerance: Float, _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (i, (p, q)) in zip(a, b).enumerated() {
            let ok = p.isNaN && q.isNaN || abs(p - q) <= tolerance * max(1, abs(q))
            if !ok {
                XCTFail("\(message): element \(i) is \(p), expected \(q)", file: file, line: line)
                return
            }
        }
    }
}
