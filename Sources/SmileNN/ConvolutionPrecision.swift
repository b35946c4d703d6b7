import CBFloat16Kernels
import CInt8Kernels

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
    /// Where the CPU has AVX2 (AVX-512 VNNI: `vpdpbusd`) and a 3x3 layer has a calibrated input
    /// scale (`Conv2D.int8InputMaximum`; layers whose inputs can be negative have none), inputs are
    /// quantised to 7 bits with that one scale and weights to 8 bits with one scale per output
    /// channel, and their products summed exactly in int32 (`CInt8Kernels`): the same numbers on
    /// every CPU that runs it. Elsewhere as `float32`.
    case int8

    /// Whether this CPU runs the bfloat16 kernels (AVX-512 F, BW, VL and BF16).
    public static let bfloat16Supported: Bool = smile_cpu_has_avx512_bf16() != 0

    /// The fastest int8 engine this CPU runs (`smile_int8_engine`): AVX-512 VNNI, AVX2 or none.
    public static let int8FastestEngine: Int32 = smile_int8_engine()

    /// The int8 engine in use: the fastest unless a benchmark chose a slower one (`useInt8Engine`).
    public nonisolated(unsafe) private(set) static var int8Engine: Int32 = int8FastestEngine

    /// Runs the int8 kernels on `engine` (`SMILE_INT8_AVX2`, ...) if this CPU has it, to time one CPU's
    /// engines against each other; returns whether it does. Call before any classification starts.
    @discardableResult
    public static func useInt8Engine(_ engine: Int32) -> Bool {
        guard engine <= int8FastestEngine else { return false }
        int8Engine = engine
        return true
    }

    /// Whether this CPU runs the int8 kernels (AVX2 or AVX-512 VNNI).
    public static var int8Supported: Bool { int8FastestEngine != Int32(SMILE_INT8_NONE.rawValue) }

    /// The faster precision this CPU runs: `bfloat16` where supported, else `float32`.
    public static var fastest: ConvolutionPrecision { bfloat16Supported ? .bfloat16 : .float32 }
}
