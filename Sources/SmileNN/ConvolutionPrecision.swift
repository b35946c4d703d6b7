import CBFloat16Kernels

/// In what precision `Conv2D`'s inference forward pass multiplies.
///
/// Training and every layer other than the direct convolution always compute in float.
public enum ConvolutionPrecision: String, Sendable, CaseIterable, Codable {
    /// Float products and sums everywhere.
    case float32
    /// Where the CPU has AVX-512 BF16 and a 3x3 layer suits a bfloat16 direct kernel (2 or more input
    /// channels, outputs a multiple of 4, planes 16 or more pixels wide or small ones such as 8x8 and
    /// 4x4; see `DirectConvolution.appliesBFloat16`) and runs directly (`auto`: up to 128 input
    /// channels), inputs and weights are rounded to bfloat16 (8 significant bits) and their products
    /// summed in float: twice the float kernel's multiply-adds per cycle. Elsewhere as `float32`.
    case bfloat16

    /// Whether this CPU runs the bfloat16 kernels (AVX-512 F, BW, VL and BF16).
    public static let bfloat16Supported: Bool = smile_cpu_has_avx512_bf16() != 0

    /// The faster precision this CPU runs: `bfloat16` where supported, else `float32`.
    public static var fastest: ConvolutionPrecision { bfloat16Supported ? .bfloat16 : .float32 }
}
