// Why this module exists: OpenBLAS's sgemm copies ("packs") the weight matrix into its own blocked layout on
// every call. For inference convolutions with few output positions (VGG-19 block 4/5 at batch 1: 512 x 4608
// weights, 16-64 positions) that copy of 9.4 MB costs as much as the arithmetic, and no package available here
// offers an sgemm on pre-packed operands. So the weights are packed once (cached by the caller) and multiplied
// by the register-blocked AVX2/FMA micro-kernel below. The module is compiled with `-target-cpu haswell`:
// call nothing in it unless the CPU has AVX2 and FMA (`smile_cpu_has_avx2_fma`).

/// The blocking shared by `packWeights` and `packedGemm`.
public enum PackedGemmLayout {
    /// Weight rows (output channels) per micro-tile: each broadcast against two 8-float vectors of positions.
    public static let rows = 6
    /// Positions (GEMM columns) per micro-tile: two AVX vectors.
    public static let columns = 16
    /// Depth (GEMM `k`) per block: a 6-row weight slice of one block is 12 KiB (L1), the matching
    /// slice of 64 positions 128 KiB (L2).
    public static let depth = 512
    /// 16-position tiles per chunk of `B`: a 512-deep slice of 8 tiles (128 positions) is 256 KiB (L2).
    static let chunkTiles = 8

    /// Floats `packWeights` writes for an `m x k` matrix: `m` rounded up to `rows`, times `k`.
    public static func packedCount(m: Int, k: Int) -> Int { (m + rows - 1) / rows * rows * k }

    /// Floats of work space `packedGemm` needs for `n` positions (one chunk of packed positions).
    public static func workspaceCount(n: Int) -> Int { min((n + columns - 1) / columns, chunkTiles) * columns * depth }

    /// Offset of depth block `k0` (a multiple of `depth`), row panel `panel`, whose block is `kl` deep.
    @inline(__always)
    static func offset(k0: Int, panel: Int, kl: Int, paddedRows: Int) -> Int { k0 * paddedRows + panel * rows * kl }
}

/// Packs the row-major `m x k` matrix `a` (leading dimension `lda`) for `packedGemm`.
///
/// Layout: depth blocks of `PackedGemmLayout.depth` (the last may be shorter), each holding the row panels
/// of 6 rows in order, each panel `kl x 6` with the 6 rows' values of one depth index together. Rows past
/// `m` are zero. `dst` needs `PackedGemmLayout.packedCount(m:k:)` floats.
public func packWeights(_ a: UnsafePointer<Float>, m: Int, k: Int, lda: Int, into dst: UnsafeMutablePointer<Float>) {
    let mr = PackedGemmLayout.rows, kc = PackedGemmLayout.depth
    let panels = (m + mr - 1) / mr, paddedRows = panels * mr
    var k0 = 0
    while k0 < k {
        let kl = min(kc, k - k0)
        for p in 0..<panels {
            let d = dst + PackedGemmLayout.offset(k0: k0, panel: p, kl: kl, paddedRows: paddedRows)
            for r in 0..<mr {
                let row = p * mr + r
                if row < m {
                    let s = a + row * lda + k0
                    for kk in 0..<kl { d[kk * mr + r] = s[kk] }
                } else {
                    for kk in 0..<kl { d[kk * mr + r] = 0 }
                }
            }
        }
        k0 += kl
    }
}
