// swift-tools-version:6.0
import Foundation
import PackageDescription

/// OpenCV's include folders as `pkg-config --cflags-only-I opencv4` gives them (the folder differs
/// between distributions and installs), or Debian's when pkg-config cannot say. Only the include
/// flags: a `systemLibrary` target with `pkgConfig: "opencv4"` would also link all ~60 modules.
let openCVIncludeFlags: [String] = {
    let fallback = ["-I/usr/include/opencv4"]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pkg-config", "--cflags-only-I", "opencv4"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return fallback }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let flags = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init).filter { $0.hasPrefix("-I") }
    return process.terminationStatus == 0 && !flags.isEmpty ? flags : fallback
}()

/// OpenCV modules the shim links; not all ~60 that `pkg-config opencv4` names, and not imgcodecs
/// or videoio, which bring ~180 more libraries and slowed every start by ~250 ms: the shim loads
/// them only when needed (Sources/CCVShim/lazy_opencv.hpp) and reads JPEG and PNG itself.
let openCVModules = ["opencv_core", "opencv_imgproc", "opencv_objdetect"]
/// libjpeg(-turbo) and libpng, for JPEG and PNG (Sources/CCVShim/image_codecs.hpp).
let codecLibraries = ["jpeg", "png16"]

/// SmileKernels is compiled for Haswell (AVX2 + FMA) on x86-64 hosts; SmileNN only calls it after
/// `smile_cpu_has_avx2_fma()` says the CPU has both. (`-target-cpu` needs a CPU name: x86-64-v3 is refused.)
#if arch(x86_64)
let kernelFlags: [String] = ["-Ounchecked", "-target-cpu", "haswell"]
#else
let kernelFlags: [String] = ["-Ounchecked"]
#endif

let package = Package(
    name: "smile",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "smile", targets: ["smile"]),
        .executable(name: "smile-bench", targets: ["smile-bench"]),
        .library(name: "SmileKit", targets: ["SmileKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // RFC-4180 CSV reading/writing (quoted commas, quotes, newlines) for labelled sets and reports.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // SHA-256 of the face detector model, checked before OpenCV parses it.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Our scan of OpenCV's Haar cascades, exactly OpenCV's windows, faster (Sources/CHaarScan/README.md).
        .target(
            name: "CHaarScan",
            exclude: ["README.md"],
            // -ffp-contract=off: the scan must round like OpenCV's (no fused multiply-adds).
            cxxSettings: [.unsafeFlags(openCVIncludeFlags + ["-O2", "-ffp-contract=off"])]
        ),
        // The C API over OpenCV, FFmpeg, libheif, libjpeg and libpng that the Swift code calls.
        .target(
            name: "CCVShim",
            dependencies: ["CHaarScan"],
            cxxSettings: [.unsafeFlags(openCVIncludeFlags + ["-O2", "-ffp-contract=off"])],
            linkerSettings: (openCVModules + codecLibraries).map { .linkedLibrary($0) }
        ),
        // OpenBLAS's cblas.h.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // HDF5's C API (Debian's serial build), for importing Keras weight files.
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
        // Run-time check that the CPU can run SmileKernels.
        .target(name: "CCPUFeatures"),
        // glibc's mallopt, to keep freed photo buffers for the next photo (see ProcessMemory).
        .target(name: "CMallocTuning"),
        // A 3x3 convolution with bfloat16 products (AVX-512 BF16), in C: Swift has no vdpbf16ps.
        .target(name: "CBFloat16Kernels", cSettings: [.unsafeFlags(["-O2"])]),
        // A 3x3 convolution with 8-bit products (AVX-512 VNNI, AVX2), in C: Swift has no vpdpbusd or vpmaddubsw.
        .target(name: "CInt8Kernels", cSettings: [.unsafeFlags(["-O2"])]),
        // The packed-weight GEMM micro-kernel for small inference convolutions (AVX2 + FMA).
        .target(name: "SmileKernels", dependencies: ["CCPUFeatures"], swiftSettings: [.unsafeFlags(kernelFlags)]),
        // Tensors, layers, optimisers, VGG-19, safetensors. Knows nothing of faces.
        .target(
            name: "SmileNN",
            dependencies: ["CBLAS", "CHDF5", "CCPUFeatures", "SmileKernels", "CBFloat16Kernels", "CInt8Kernels"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        ),
        // Swift face of the OpenCV shim: images, Haar detection, video frames.
        .target(name: "SmileVision", dependencies: ["CCVShim", .product(name: "Crypto", package: "swift-crypto")]),
        // The pipeline: detection, crops, classification, datasets, training, evaluation, outputs.
        .target(
            name: "SmileKit",
            dependencies: [
                "SmileNN", "SmileVision", "CMallocTuning",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            // Crop, augmentation and batch loops run per pixel: optimise them even in debug builds.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        // The options `smile` and `smile-bench` share (model, detector, run, shard).
        .target(
            name: "SmileCommandLine",
            dependencies: ["SmileKit", "SmileNN", "SmileVision", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "smile",
            dependencies: ["SmileCommandLine", "SmileKit", "SmileNN", "SmileVision",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Timing, machine facts and the photo cost model of the benchmarks.
        .target(name: "SmileBenchmarks", dependencies: ["SmileKit", "SmileNN", "CBLAS"]),
        // `smile-bench`: the benchmarks, apart from the tool users run (as swift-nio keeps its benchmarks).
        .executableTarget(
            name: "smile-bench",
            dependencies: ["SmileBenchmarks", "SmileCommandLine", "SmileKit", "SmileNN", "SmileVision", "CInt8Kernels",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "SmileNNTests", dependencies: ["SmileNN", "SmileKernels", "CHDF5", "CBFloat16Kernels", "CInt8Kernels", "SmileBenchmarks"]),
        .testTarget(name: "SmileVisionTests", dependencies: ["SmileVision"]),
        .testTarget(name: "SmileKitTests", dependencies: ["SmileKit", "SmileBenchmarks"]),
        .testTarget(name: "SmileEndToEndTests", dependencies: ["SmileKit", "smile", "smile-bench"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
