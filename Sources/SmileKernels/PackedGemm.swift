/// `C = A * B (+ bias per row) (then max(0, ·))` with `A` packed by `packWeights`.
///
/// `A` is `m x k` (packed), `B` row-major `k x n` with leading dimension `ldb`, `C` row-major `m x n` with
/// leading dimension `ldc` (overwritten). `bias` has `m` values. `workspace` needs
/// `PackedGemmLayout.workspaceCount(n:)` floats. Blocking: for each depth block (see
/// `PackedGemmLayout`), positions in chunks whose slice of `B` stays in L2; for each panel of 6 weight rows
/// (its slice in L1, so every weight is read from memory once per chunk) every 16-position tile. Each chunk's
/// slice of `B` is first copied into contiguous 16-wide tiles (`packPositions`). Needs AVX2 and FMA.
@inline(never)
public func packedGemm(
    m: Int, n: Int, k: Int, packedA: UnsafePointer<Float>,
    b: UnsafePointer<Float>, ldb: Int, bias: UnsafePointer<Float>?, relu: Bool,
    c: UnsafeMutablePointer<Float>, ldc: Int, workspace: UnsafeMutablePointer<Float>
) {
    precondition(m > 0 && n > 0 && k > 0 && ldb >= n && ldc >= n)
    let mr = PackedGemmLayout.rows, nr = PackedGemmLayout.columns, kc = PackedGemmLayout.depth
    let panels = (m + mr - 1) / mr, paddedRows = panels * mr
    let tiles = (n + nr - 1) / nr
    let chunkTiles = min(tiles, PackedGemmLayout.chunkTiles)
    let packedB = workspace
    do {
        var k0 = 0
        while k0 < k {
            let kl = min(kc, k - k0)
            let epilogue = TileEpilogue(first: k0 == 0, relu: relu && k0 + kl == k, bias: nil)
            var firstTile = 0
            while firstTile < tiles {
                let count = min(chunkTiles, tiles - firstTile)
                packPositions(
                    b + k0 * ldb + firstTile * nr, ldb: ldb, depth: kl, columns: min(n - firstTile * nr, count * nr),
                    into: packedB)
                for p in 0..<panels {
                    let a = packedA + PackedGemmLayout.offset(k0: k0, panel: p, kl: kl, paddedRows: paddedRows)
                    var e = epilogue
                    e.bias = bias.map { $0 + p * mr }
                    let rows = min(mr, m - p * mr)
                    let cp = c + p * mr * ldc + firstTile * nr
                    for t in 0..<count {
                        let cols = min(nr, n - (firstTile + t) * nr)
                        microTile(
                            kl: kl, a: a, b: packedB + t * kl * nr, ldb: nr, c: cp + t * nr, ldc: ldc,
                            rows: rows, cols: cols, epilogue: e)
                    }
                }
                firstTile += count
            }
            k0 += kl
        }
    }
}

/// Copies `depth x columns` of row-major `b` into consecutive `depth x 16` tiles, zero-padding the last.
///
/// Contiguous tiles keep the micro-kernel's reads sequential (rows of a wide `b` are thousands of floats
/// apart, which maps every row of a tile onto the same few cache sets).
@inline(__always)
private func packPositions(
    _ b: UnsafePointer<Float>, ldb: Int, depth: Int, columns: Int, into dst: UnsafeMutablePointer<Float>
) {
    let nr = PackedGemmLayout.columns
    let tiles = (columns + nr - 1) / nr
    for t in 0..<tiles {
        let width = min(nr, columns - t * nr)
        let d = dst + t * depth * nr
        let s = b + t * nr
        if width == nr {
            for kk in 0..<depth { (d + kk * nr).update(from: s + kk * ldb, count: nr) }
        } else {
            for kk in 0..<depth {
                (d + kk * nr).update(from: s + kk * ldb, count: width)
                (d + kk * nr + width).update(repeating: 0, count: nr - width)
            }
        }
    }
}
