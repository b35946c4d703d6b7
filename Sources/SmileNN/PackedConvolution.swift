import CCPUFeatures
import SmileKernels

/// A convolution's weight matrix packed once for `packedGemm` (SmileKernels' AVX2/FMA micro-kernel).
///
/// OpenBLAS packs the `[out, in*k*k]` weight matrix on every GEMM call, which dominates inference
/// convolutions with few output positions; this keeps the packed copy instead. It is recomputed whenever
/// the weight `Parameter`'s `version` differs from the one it was packed from (optimiser steps and
/// `Sequential.load` bump it), like `WinogradConvolution`'s transformed weights.
final class PackedConvolutionWeights {
    /// Whether this CPU can run SmileKernels (AVX2 and FMA); without it convolutions use OpenBLAS.
    static let isSupported: Bool = smile_cpu_has_avx2_fma() != 0

    private var packed: [Float] = []
    private var packedVersion: Int?
    private var workspace: [Float] = []

    /// Repacks `weight` (`[out, ...]`, used as `out x rest`) if it changed since it was last packed.
    private func prepare(_ weight: Parameter) {
        if packedVersion == weight.version && !packed.isEmpty { return }
        let m = weight.value.shape[0], k = weight.value.count / m
        let count = PackedGemmLayout.packedCount(m: m, k: k)
        if packed.count != count { packed = [Float](repeating: 0, count: count) }
        weight.value.data.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { p in
                packWeights(w.baseAddress!, m: m, k: k, lda: k, into: p.baseAddress!)
            }
        }
        packedVersion = weight.version
    }

    /// `c[out x n] = weight * b[k x n] + bias`, then `max(0, ·)` when `relu`; `c` has leading dimension `ldc`.
    func multiply(
        weight: Parameter, b: UnsafePointer<Float>, n: Int, ldb: Int, bias: UnsafePointer<Float>?, relu: Bool,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(PackedConvolutionWeights.isSupported, "packed GEMM needs AVX2 and FMA")
        prepare(weight)
        let m = weight.value.shape[0], k = weight.value.count / m
        ensureCapacity(&workspace, PackedGemmLayout.workspaceCount(n: n))
        packed.withUnsafeBufferPointer { p in
            workspace.withUnsafeMutableBufferPointer { w in
                packedGemm(
                    m: m, n: n, k: k, packedA: p.baseAddress!, b: b, ldb: ldb, bias: bias, relu: relu, c: c, ldc: ldc,
                    workspace: w.baseAddress!)
            }
        }
    }
}
