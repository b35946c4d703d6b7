/// How `Conv2D` computes its inference (`training == false`) forward pass.
///
/// Training always uses im2col + GEMM (its backward needs the im2col matrix anyway).
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable, Codable {
    /// Direct convolution where it applies and measured faster (see `Conv2D.prefersDirect`), else Winograd where
    /// it applies and measured faster (see `WinogradConvolution.choice`), else im2col with the
    /// packed-weight GEMM where that measured faster (see `Conv2D.prefersPackedGemm`), else im2col on OpenBLAS.
    case auto
    /// Always im2col + GEMM.
    case im2col
    /// Winograd F(2x2, 3x3) for every 3x3 stride-1 pad-1 convolution, whatever the size; im2col otherwise.
    case winograd
    /// Winograd F(4x4, 3x3) for every 3x3 stride-1 pad-1 convolution; im2col otherwise.
    case winograd4x4 = "winograd4"
    /// Direct 3x3 convolution (`DirectConvolution`) for every 3x3 stride-1 pad-1 convolution it can compute
    /// (width a multiple of 8, output channels of 4, a CPU with AVX2 and FMA); otherwise as `auto`.
    case direct
    /// Always im2col, multiplied by the packed-weight AVX2/FMA kernel (`PackedConvolutionWeights`); on a CPU
    /// without AVX2 and FMA, OpenBLAS as for `im2col`.
    case packed
}
