// Four-float SIMD helpers for the Winograd transforms (`WinogradTransforms.swift`, `WinogradTransforms4x4.swift`).
//
// SmileNN is compiled for generic x86-64, so `SIMD4<Float>` is one SSE register and `SIMD8<Float>` two; the
// compiler turns `evenHalf`/`oddHalf` and the element shuffles below into `shufps`/`unpcklps`. The transforms
// vectorise across 4 neighbouring tiles: the position-major layout `v[ξ][channel][tile]` makes 4 tiles' values
// of one position contiguous, and the deinterleaving (input) or interleaving (output) of the image's pixel
// columns into tiles happens in registers instead of by strided scalar loads and stores.

/// Loads 4 floats from `p` (no alignment needed).
@inline(__always)
func loadFloat4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

/// Loads the first `count` (at least 1) floats from `p`, up to 4, and zeros in the remaining lanes; reads
/// nothing past `p + count`.
@inline(__always)
func loadFloat4(_ p: UnsafePointer<Float>, count: Int) -> SIMD4<Float> {
    switch count {
    case 1: return SIMD4(p[0], 0, 0, 0)
    case 2: return SIMD4(lowHalf: loadFloat2(p), highHalf: .zero)
    case 3: return SIMD4(lowHalf: loadFloat2(p), highHalf: SIMD2(p[2], 0))
    default: return loadFloat4(p)
    }
}

/// Loads 2 floats from `p` (no alignment needed).
@inline(__always)
func loadFloat2(_ p: UnsafePointer<Float>) -> SIMD2<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Float>.self)
}

/// Columns `column ..< column + 4` of the row `p` of `width` columns, with zeros for columns outside the row
/// (the convolution's zero padding), for `column >= -1`. Reads nothing outside the row.
///
/// At the row's ends (rows of at least 4 columns) the 4 columns at that end are loaded and shifted.
@inline(__always)
func loadFloat4(_ p: UnsafePointer<Float>, column: Int, width: Int) -> SIMD4<Float> {
    if column >= 0 && column + 4 <= width { return loadFloat4(p + column) }
    if width < 4 { return loadFloat4Clipped(p, column: column, width: width) }
    if column < 0 {
        let v = loadFloat4(p)
        return SIMD4(0, v[0], v[1], v[2])
    }
    let v = loadFloat4(p + width - 4)
    switch column + 4 - width {
    case 1: return SIMD4(v[1], v[2], v[3], 0)
    case 2: return SIMD4(v[2], v[3], 0, 0)
    case 3: return SIMD4(v[3], 0, 0, 0)
    default: return SIMD4()
    }
}

/// `loadFloat4(_:column:width:)` lane by lane, for rows of fewer than 4 columns.
@inline(never)
private func loadFloat4Clipped(_ p: UnsafePointer<Float>, column: Int, width: Int) -> SIMD4<Float> {
    var v = SIMD4<Float>()
    for i in 0..<4 where column + i >= 0 && column + i < width { v[i] = p[column + i] }
    return v
}

/// Stores the 4 lanes of `v` at `p`.
@inline(__always)
func storeFloat4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self)
}

/// Stores the first `count` lanes of `v` at `p` (none when `count <= 0`); writes nothing past `p + count`.
@inline(__always)
func storeFloat4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
    switch count {
    case ...0: return
    case 1: p[0] = v[0]
    case 2: UnsafeMutableRawPointer(p).storeBytes(of: v.lowHalf, as: SIMD2<Float>.self)
    case 3:
        UnsafeMutableRawPointer(p).storeBytes(of: v.lowHalf, as: SIMD2<Float>.self)
        p[2] = v[2]
    default: storeFloat4(v, p)
    }
}

/// `(a0, b0, a1, b1)` and `(a2, b2, a3, b3)`: two rows of values zipped into one (`unpcklps`/`unpckhps`).
@inline(__always)
func interleave(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> (SIMD4<Float>, SIMD4<Float>) {
    (SIMD4(a[0], b[0], a[1], b[1]), SIMD4(a[2], b[2], a[3], b[3]))
}

/// The transpose of the 4x4 matrix whose rows are `r0 ... r3`: its result `i` holds lane `i` of each row.
@inline(__always)
func transpose(
    _ r0: SIMD4<Float>, _ r1: SIMD4<Float>, _ r2: SIMD4<Float>, _ r3: SIMD4<Float>
) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
    let (l0, h0) = interleave(r0, r1)  // r0[0] r1[0] r0[1] r1[1] | r0[2] r1[2] r0[3] r1[3]
    let (l1, h1) = interleave(r2, r3)  // r2[0] r3[0] r2[1] r3[1] | r2[2] r3[2] r2[3] r3[3]
    return (SIMD4(lowHalf: l0.lowHalf, highHalf: l1.lowHalf), SIMD4(lowHalf: l0.highHalf, highHalf: l1.highHalf),
            SIMD4(lowHalf: h0.lowHalf, highHalf: h1.lowHalf), SIMD4(lowHalf: h0.highHalf, highHalf: h1.highHalf))
}

/// `v + bias`, then `max(·, 0)` lane-wise when `relu` (the output transforms' epilogue).
@inline(__always)
func biasReLU(_ v: SIMD4<Float>, bias: Float, relu: Bool) -> SIMD4<Float> {
    let s = v + bias
    // Not `pointwiseMax`, which the compiler leaves as a call; this is one `maxps`.
    return relu ? s.replacing(with: 0, where: s .< 0) : s
}
