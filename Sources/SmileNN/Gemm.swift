import CBLAS

/// Row-major single-precision GEMM on OpenBLAS: `C = alpha * op(A) * op(B) + beta * C`.
///
/// `op(A)` is `m x k`, `op(B)` is `k x n`, `C` is `m x n`; leading dimensions are the row lengths
/// of the matrices as stored.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// Sets the number of threads OpenBLAS uses for every following GEMM (1 for single-core training).
public func setThreadCount(_ n: Int) {
    precondition(n >= 1, "thread count must be at least 1")
    openblas_set_num_threads(Int32(n))
}

/// The number of threads OpenBLAS currently uses.
public func threadCount() -> Int { Int(openblas_get_num_threads()) }
