import CInt8Kernels
import Foundation
import XCTest
@testable import SmileNN

/// Which precisions and engines this CPU gets, against the CPU's own feature flags.
final class ConvolutionPrecisionTests: XCTestCase {
    /// The flags of the first processor in /proc/cpuinfo (nil off Linux).
    private var cpuFlags: Set<String>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return Set(line.split(separator: ":").last!.split(separator: " ").map(String.init))
    }

    /// `auto` (the command line's default) is bfloat16 where the CPU has AVX-512 BF16, else float32;
    /// never int8, which needs a calibrated model and changes more verdicts (docs/model.md).
    func testAutomaticPrecisionFollowsTheCPU() throws {
        let flags = try XCTUnwrap(cpuFlags, "no /proc/cpuinfo")
        let bf16 = ["avx512f", "avx512bw", "avx512vl", "avx512_bf16"].allSatisfy(flags.contains)
        XCTAssertEqual(ConvolutionPrecision.bfloat16Supported, bf16)
        XCTAssertEqual(ConvolutionPrecision.fastest, bf16 ? .bfloat16 : .float32)
        XCTAssertNotEqual(ConvolutionPrecision.fastest, .int8)
    }

    /// The int8 engine: AVX-512 VNNI where the CPU has it (with F and BW), else AVX2, else none.
    func testInt8EngineFollowsTheCPU() throws {
        let flags = try XCTUnwrap(cpuFlags, "no /proc/cpuinfo")
        let expected: smile_int8_engine_kind = ["avx512f", "avx512bw", "avx512_vnni"].allSatisfy(flags.contains) ? SMILE_INT8_AVX512_VNNI
            : flags.contains("avx2") ? SMILE_INT8_AVX2 : SMILE_INT8_NONE
        XCTAssertEqual(ConvolutionPrecision.int8FastestEngine, Int32(expected.rawValue))
        XCTAssertEqual(ConvolutionPrecision.int8Supported, expected != SMILE_INT8_NONE)
        XCTAssertFalse(ConvolutionPrecision.useInt8Engine(Int32(SMILE_INT8_AVX512_VNNI.rawValue) + 1), "no engine beyond the CPU's")
    }
}
