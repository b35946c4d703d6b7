import CInt8Kernels
import ArgumentParser
import SmileBenchmarks
import SmileCommandLine
import Foundation
import SmileKit
import SmileNN

/// `smile-bench nn`: times VGG-19 inference (conv base and/or whole network) over widths, sizes, batches,
/// threads and convolution algorithms, and prints a table (and optionally a CSV).
struct BenchNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Time the VGG-19 forward pass (random weights, or a model file).",
        discussion: """
        Each case runs --warmup untimed passes, then --repeats timed ones; the table gives the median and \
        minimum per pass and per image. "base" is the convolutional base alone (16 convolutions and 5 \
        pools, like Keras VGG19(include_top=False)); "net" adds the head. GFLOP/s counts the direct \
        convolution's 2 x multiply-adds, so Winograd can exceed the machine's GEMM speed. Inference uses \
        the folded plan (batch-norm folded, ReLU fused, dropout removed). --conv packed multiplies im2col \
        by weights packed once for SmileKernels' AVX2/FMA kernel (auto picks it below 128 GEMM columns); \
        --conv direct computes 3x3 convolutions directly wherever it can (auto does for up to 16 input \
        channels, and in bfloat16 for up to 128). --precision bfloat16 (the default where the CPU has \
        AVX-512 BF16) rounds the direct convolutions' inputs and weights to bfloat16 and sums their \
        products in float, on layers with 2 or more input channels whose planes are 16 or more pixels \
        wide or small (8x8, 4x4): twice the multiply-adds per cycle ("direct-bf16" in --per-layer). \
        Width 1 uses 3 input channels, \
        other widths 1 (like the shipped model) unless --channels is given. With --threads above 1 a batch \
        is split over that many threads as the tool splits a photo's faces, each part through its own copy of \
        the network (our convolution kernels run on the calling thread); a batch of 1 stays on one.

        Examples:
          smile-bench nn
          smile-bench nn --widths 1 --sizes 64x64 --batches 1,32 --conv im2col,winograd --parts base,net
          smile-bench nn --model models/smile-default.safetensors --batches 1,32 --threads 1,2
          smile-bench nn --widths 1 --batches 1 --conv winograd --per-layer --csv nn.csv
        """
    )

    @Option(help: ArgumentHelp("Width multipliers, comma-separated (0.125: the shipped model's).", valueName: "list"))
    var widths = "1,0.125"
    @Option(help: ArgumentHelp("Input sizes HxW, comma-separated.", valueName: "list"))
    var sizes = "64x64,218x178"
    @Option(help: ArgumentHelp("Batch sizes, comma-separated.", valueName: "list"))
    var batches = "1,32"
    @Option(help: ArgumentHelp("Thread counts, comma-separated: a batch is split over them as the tool splits a "
                               + "photo's faces (parts of \(SmileModel.minimumFacesPerThread) or more images, each "
                               + "through its own copy of the network), and OpenBLAS gets as many (only im2col "
                               + "convolutions and dense layers use it). --per-layer times one copy.", valueName: "list"))
    var threads = "1"
    @Option(help: ArgumentHelp("Convolution algorithms: auto, im2col, winograd, winograd4, packed, direct (comma-separated).", valueName: "list"))
    var conv = "auto"
    @Option(help: ArgumentHelp("Convolution precisions: float32, bfloat16 (comma-separated; default: the tool's, bfloat16 "
                               + "where the CPU has AVX-512 BF16, else float32).", valueName: "list"))
    var precision: String?

    @Option(help: ArgumentHelp("The int8 kernels' engine: vnni (AVX-512 VNNI, the default where the CPU has it) or "
                               + "avx2 (vpmaddubsw, as on CPUs without VNNI), to time both on one CPU.", valueName: "engine"))
    var int8Engine: String?
    @Option(help: ArgumentHelp("What to time: base (conv base only), net (whole network); comma-separated.", valueName: "list"))
    var parts = "net"
    @Flag(help: "Time the convolutional base only (same as --parts base).")
    var baseOnly = false
    @Option(help: ArgumentHelp("Input channels (default: 3 at width 1, else 1).", valueName: "n"))
    var channels: Int?
    @Option(help: ArgumentHelp("Time this model file instead of random VGG-19s (its own input size and width).", valueName: "file"))
    var model: String?
    @Option(help: ArgumentHelp("Timed passes per case.", valueName: "n"))
    var repeats = 10
    @Option(help: ArgumentHelp("Untimed passes per case before timing.", valueName: "n"))
    var warmup = 2
    @Option(help: ArgumentHelp("Clock: wall (elapsed) or cpu (process CPU time; steadier on a busy machine).", valueName: "clock"))
    var clock = "wall"
    @Flag(help: "Also print each layer's median time and GFLOP/s.")
    var perLayer = false
    @Option(help: ArgumentHelp("Also write the table as CSV to this file.", valueName: "file"))
    var csv: String?

    /// One timed configuration.
    struct Row {
        var model: String, width: Double, channels: Int, height: Int, widthPx: Int
        var batch: Int, threads: Int, conv: ConvolutionAlgorithm, precision: ConvolutionPrecision, part: String
        var timing: TimingSummary, flops: Double
    }

    func validate() throws {
        guard repeats >= 1, warmup >= 0 else { throw ValidationError("--repeats must be at least 1, --warmup at least 0") }
        guard InferenceTiming.Clock(rawValue: clock) != nil else { throw ValidationError("--clock must be wall or cpu") }
        _ = try plan()
    }

    /// The parsed lists.
    private func plan() throws -> (widths: [Double], sizes: [(Int, Int)], batches: [Int], threads: [Int], convs: [ConvolutionAlgorithm],
                                   precisions: [ConvolutionPrecision], parts: [String]) {
        func list<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws -> [T] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = items.compactMap(parse)
            guard !items.isEmpty, values.count == items.count else { throw ValidationError("bad --\(option) '\(text)'") }
            return values
        }
        let w = try list(widths, "widths") { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        let s = try list(sizes, "sizes") { item -> (Int, Int)? in
            let p = item.lowercased().split(separator: "x").compactMap { Int($0) }
            return p.count == 2 && p[0] >= 32 && p[1] >= 32 ? (p[0], p[1]) : nil
        }
        let b = try list(batches, "batches") { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
        let t = try list(threads, "threads") { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
        let c = try list(conv, "conv") { ConvolutionAlgorithm(rawValue: $0) }
        let r = try precision.map { try list($0, "precision") { ConvolutionPrecision(rawValue: $0) } } ?? [.fastest]
        if r.contains(.int8) && !ConvolutionPrecision.int8Supported {
            throw ValidationError("--precision int8 needs a CPU with AVX2, which this one lacks")
        }
        if r.contains(.bfloat16) && !ConvolutionPrecision.bfloat16Supported {
            throw ValidationError("--precision bfloat16 needs a CPU with AVX-512 BF16, which this one lacks")
        }
        let p = baseOnly ? ["base"] : try list(parts, "parts") { ["base", "net"].contains($0) ? $0 : nil }
        return (w, s, b, t, c, r, p)
    }

    func run() throws {
        if let int8Engine {
            let engines = ["vnni": Int32(SMILE_INT8_AVX512_VNNI.rawValue), "avx2": Int32(SMILE_INT8_AVX2.rawValue)]
            guard let engine = engines[int8Engine] else { throw ValidationError("--int8-engine is vnni or avx2, not '\(int8Engine)'") }
            guard ConvolutionPrecision.useInt8Engine(engine) else { throw ValidationError("this CPU has no \(int8Engine) engine") }
        }
        let plan = try plan()
        let timingClock = InferenceTiming.Clock(rawValue: clock) ?? .wall
        print("machine: \(MachineInfo.cpuModel), \(MachineInfo.coreCount) cores, OpenBLAS \(MachineInfo.blasCoreName ?? "?")")
        print("repeats \(repeats) after \(warmup) warm-up; \(clock == "cpu" ? "process CPU" : "wall-clock") times in ms")
        printHeader()
        var rows: [Row] = []
        // Each network with a way to make more of it, the same weights (for batches split over threads).
        var networks: [(label: String, width: Double, channels: Int, height: Int, width_: Int, make: () throws -> Sequential)] = []
        if let model {
            let url = URL(fileURLWithPath: model)
            let loaded = try SmileModel.load(contentsOf: url)
            let (c, h, w) = loaded.metadata.inputShape
            networks.append((url.lastPathComponent, loaded.metadata.network.widthMultiplier, c, h, w,
                             { try SmileModel.load(contentsOf: url).network }))
        }
        for width in model == nil ? plan.widths : [] {
            for (h, w) in plan.sizes {
                let c = channels ?? (width == 1 ? 3 : 1)
                let config = VGG19Configuration(widthMultiplier: width, inputHeight: h, inputWidth: w, inputChannels: c)
                networks.append(("vgg19", width, c, h, w, { VGG19.make(config, seed: 1) }))
            }
        }
        for entry in networks {
            // Whole networks and their convolutional bases, one of each per thread a batch is split over.
            var nets: [Sequential] = [], bases: [Sequential?] = []
            func ensure(_ count: Int) throws {
                while nets.count < count {
                    let net = try entry.make()
                    nets.append(net)
                    bases.append(net.layers.contains { $0.name == "block5_pool" }
                        ? Sequential(Array(net.layers[..<VGG19.blockStartIndex(6, in: net)])) : nil)
                }
            }
            try ensure(1)
            for batch in plan.batches {
                var rng = SeededRandom(seed: 7)
                let input = Tensor(shape: [batch, entry.channels, entry.height, entry.width_], normalStd: 1, rng: &rng)
                for threadCount in plan.threads {
                    setThreadCount(threadCount)
                    let split = SmileModel.parts(faces: batch, threads: threadCount)
                    try ensure(split.count)
                    for (algorithm, precision) in plan.convs.flatMap({ a in plan.precisions.map { (a, $0) } }) {
                        for part in plan.parts {
                            let pool: [Sequential?] = part == "base" ? bases : nets
                            let copies = pool.prefix(split.count).compactMap { $0 }
                            guard copies.count == split.count, let timed = copies.first else { continue }
                            copies.forEach { $0.setConvolutionAlgorithm(algorithm); $0.setConvolutionPrecision(precision) }
                            let timing = InferenceTiming.time(copies, input: input, parts: split, warmup: warmup, repeats: repeats, clock: timingClock)
                            let row = Row(
                                model: entry.label, width: entry.width, channels: entry.channels, height: entry.height,
                                widthPx: entry.width_, batch: batch, threads: threadCount, conv: algorithm, precision: precision, part: part,
                                timing: timing, flops: InferenceTiming.flops(timed, input: input))
                            rows.append(row)
                            printRow(row)
                            if perLayer {
                                printLayers(InferenceTiming.timeLayers(timed, input: input, warmup: warmup, repeats: repeats, clock: timingClock))
                            }
                            copies.forEach { $0.invalidateInference() }
                        }
                    }
                }
            }
        }
        print(String(format: "peak RSS %.0f MiB", MachineInfo.peakResidentMiB))
        if let csv { try writeCSV(rows, to: csv) }
    }

    private static let columns = ["model", "width", "input", "batch", "threads", "conv", "precision", "part", "median_ms", "min_ms", "median_ms_per_image", "min_ms_per_image", "gflops"]

    private func printHeader() {
        print(pad(["model", "width", "input", "batch", "thr", "conv", "prec", "part", "median", "min", "med/img", "min/img", "GFLOP/s"]))
    }

    private func fields(_ r: Row) -> [String] {
        let b = Double(r.batch)
        return [r.model, String(format: "%g", r.width), "\(r.channels)x\(r.height)x\(r.widthPx)", "\(r.batch)", "\(r.threads)",
                r.conv.rawValue, ["float32": "f32", "bfloat16": "bf16"][r.precision.rawValue] ?? r.precision.rawValue, r.part, String(format: "%.2f", r.timing.median), String(format: "%.2f", r.timing.min),
                String(format: "%.2f", r.timing.median / b), String(format: "%.2f", r.timing.min / b),
                String(format: "%.1f", r.flops / (r.timing.median * 1e6))]
    }

    private func printRow(_ r: Row) {
        print(pad(fields(r)))
        fflush(stdout)
    }

    private func pad(_ cells: [String]) -> String {
        let widths = [24, 5, 10, 5, 3, 8, 4, 4, 9, 9, 8, 8, 7]
        return zip(cells, widths).enumerated().map { i, cw in
            let (cell, w) = cw
            let fill = String(repeating: " ", count: max(0, w - cell.count))
            return i < 3 || (5...7).contains(i) ? cell + fill : fill + cell
        }.joined(separator: " ")
    }

    private func printLayers(_ layers: [LayerTiming]) {
        var total = 0.0
        for l in layers {
            total += l.timing.median
            let gflops = l.flops > 0 ? String(format: "%7.1f GFLOP/s", l.flops / (l.timing.median * 1e6)) : ""
            print(String(format: "    %-14@ %-15@ %-11@ %8.3f ms (min %7.3f)  %@", l.name as NSString,
                         l.outputShape.map(String.init).joined(separator: "x") as NSString, l.path as NSString,
                         l.timing.median, l.timing.min, gflops as NSString))
        }
        print(String(format: "    %-39@ %8.3f ms", "sum of layer medians" as NSString, total))
    }

    private func writeCSV(_ rows: [Row], to path: String) throws {
        func quote(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var text = BenchNNCommand.columns.joined(separator: ",") + "\n"
        for r in rows {
            var f = fields(r)
            f[8] = String(format: "%.4f", r.timing.median); f[9] = String(format: "%.4f", r.timing.min)
            f[10] = String(format: "%.4f", r.timing.median / Double(r.batch)); f[11] = String(format: "%.4f", r.timing.min / Double(r.batch))
            text += f.map(quote).joined(separator: ",") + "\n"
        }
        try writeAtomically(Data(text.utf8), to: URL(fileURLWithPath: path))
    }
}
