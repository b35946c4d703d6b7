import ArgumentParser
import SmileBenchmarks
import SmileCommandLine
import Foundation
import SmileKit
import SmileNN
import SmileVision
#if canImport(Glibc)
import Glibc
#endif

/// `smile-bench detect`: how long Haar face detection takes per frame at common frame sizes.
struct BenchDetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Time face detection (the shipped settings, or the detection options given) at 640x360, 640x480 and 1920x1080.",
        discussion: """
        The frames are made from one real picture (--image, default samples/astronaut.jpg, or \
        frame --frame of --video): cut to each size's aspect ratio (a band a quarter of the \
        way down a tall picture, the middle of a wide one), then resized. Each size is detected --warmup times untimed, then --repeats times timed; the \
        table gives the median and the minimum in milliseconds, and the faces found. OpenCV \
        runs on one thread unless --threads says otherwise (several counts: one row each). \
        Prints the machine (CPU model, cores, load average) and the peak resident memory.

        Examples:
          smile-bench detect
          smile-bench detect --video ../shared/data/video/hamilton_clip.mp4 --threads 1,2
          smile-bench detect --repeats 50 --sizes 320x240,1280x720
          smile-bench detect --compare-opencv     # our Haar scan next to OpenCV's, same frames
        """
    )

    @Option(help: ArgumentHelp("Picture to make the frames from (default: samples/astronaut.jpg).", valueName: "file"))
    var image: String?

    @Option(help: ArgumentHelp("Take the frames from this video instead (frame --frame).", valueName: "file"))
    var video: String?

    @Option(help: ArgumentHelp("0-based frame of --video to use.", valueName: "n"))
    var frame: Int = 0

    @Option(help: ArgumentHelp("Frame sizes, comma-separated WIDTHxHEIGHT.", valueName: "sizes"))
    var sizes: String = "640x360,640x480,1920x1080"

    @Option(help: ArgumentHelp("Timed detections per size.", valueName: "n"))
    var repeats: Int = 20

    @Option(help: ArgumentHelp("Untimed detections per size before timing.", valueName: "n"))
    var warmup: Int = 3

    @Option(help: ArgumentHelp("OpenCV thread counts to time, comma-separated.", valueName: "n,..."))
    var threads: String = "1"

    @Flag(help: "Also time OpenCV's own scan (--haar-engine opencv) on the same frames, alternating with ours, and print the ratio.")
    var compareOpencv = false

    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") }
        guard frame >= 0 else { throw ValidationError("--frame must be >= 0") }
        guard image == nil || video == nil else { throw ValidationError("give --image or --video, not both") }
        guard (try? BenchDetectSupport.parseSizes(sizes)) != nil else { throw ValidationError("--sizes wants WIDTHxHEIGHT,..., got '\(sizes)'") }
        guard let counts = BenchDetectSupport.parseCounts(threads), counts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--threads wants positive counts, comma-separated, got '\(threads)'")
        }
    }

    func run() throws {
        let (picture, sourceName) = try loadSource()
        // Frames, searched as `smile frames` searches them (equalised always).
        let detector = try detection.makeDetector(video: true)
        let frameSizes = try BenchDetectSupport.parseSizes(sizes)
        let threadCounts = BenchDetectSupport.parseCounts(threads) ?? [1]

        print(BenchDetectSupport.machineDescription())
        print("source: \(sourceName) (\(picture.width)x\(picture.height)); settings: scale factor \(detector.settings.scaleFactor), "
              + "\(detector.settings.pyramidSearch.rawValue) pyramid search, "
              + "min neighbours \(detector.settings.minNeighbours), \(detector.settings.isSinglePass ? "single frontal pass" : "multi-pass")")
        print("\(warmup) warm-up + \(repeats) timed detections per row")
        print("")
        let reference = compareOpencv ? try detection.makeDetector(engine: .opencv, video: true) : nil
        print(reference == nil ? "| size | threads | faces | median ms | min ms |"
                               : "| size | threads | faces | median ms | min ms | OpenCV's scan: median ms | min ms | ours / OpenCV (medians) |")
        print(reference == nil ? "|---|---|---|---|---|" : "|---|---|---|---|---|---|---|---|")
        for count in threadCounts {
            setOpenCVThreadCount(count)
            for (width, height) in frameSizes {
                let frame = BenchDetectSupport.fill(picture, width: width, height: height)
                var faces = 0, referenceFaces = 0
                for _ in 0..<warmup {
                    faces = try detector.detectFaces(in: frame).count
                    referenceFaces = try reference?.detectFaces(in: frame).count ?? faces
                }
                var times: [Double] = [], referenceTimes: [Double] = []
                for _ in 0..<repeats {
                    // Alternating, so a slower spell of the machine hits both alike.
                    times.append(try BenchDetectSupport.milliseconds { faces = try detector.detectFaces(in: frame).count })
                    if let reference {
                        referenceTimes.append(try BenchDetectSupport.milliseconds {
                            referenceFaces = try reference.detectFaces(in: frame).count
                        })
                    }
                }
                var row = String(format: "| %dx%d | %d | %d | %.2f | %.2f |", width, height, count, faces,
                                 BenchDetectSupport.median(times), times.min() ?? 0)
                if reference != nil {
                    let ratio = BenchDetectSupport.median(times) / BenchDetectSupport.median(referenceTimes)
                    row += String(format: " %.2f | %.2f | %.2f%@ |", BenchDetectSupport.median(referenceTimes),
                                  referenceTimes.min() ?? 0, ratio, referenceFaces == faces ? "" : " (faces differ!)")
                }
                print(row)
                fflush(stdout)
            }
        }
        print("")
        print(String(format: "peak RSS: %.1f MiB", Double(BenchDetectSupport.peakResidentKiB()) / 1024))
    }

    /// The picture the frames are made from, and how to name it.
    private func loadSource() throws -> (Image, String) {
        if let video {
            let reader = try VideoReader(path: video)
            while let next = try reader.next() {
                if next.index >= frame { return (next.image, "\(video) frame \(next.index)") }
            }
            throw ValidationError("\(video) has no frame \(frame)")
        }
        let path = image ?? "samples/astronaut.jpg"
        return (try ImageCodec.decode(file: path), path)
    }
}

/// Small helpers of `smile-bench detect`: statistics, frame making, machine facts, peak memory.
enum BenchDetectSupport {
    /// Milliseconds `body` takes on `clock`.
    static func milliseconds(clock: InferenceTiming.Clock = .wall, _ body: () throws -> Void) rethrows -> Double {
        try timed(clock: clock, body).milliseconds
    }

    /// What `body` returns, and the milliseconds it took on `clock`.
    static func timed<T>(clock: InferenceTiming.Clock = .wall, _ body: () throws -> T) rethrows -> (value: T, milliseconds: Double) {
        let start = clock.nowMilliseconds()
        let value = try body()
        return (value, clock.nowMilliseconds() - start)
    }

    /// The median of `values` (mean of the middle two for an even count; 0 when empty).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Parses "640x360,1920x1080" into sizes; throws on anything else.
    static func parseSizes(_ text: String) throws -> [(Int, Int)] {
        let sizes = text.split(separator: ",").map { item -> (Int, Int)? in
            let parts = item.lowercased().split(separator: "x")
            guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
            return (w, h)
        }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else { throw ValidationError("bad sizes '\(text)'") }
        return sizes.compactMap { $0 }
    }

    /// Parses "1,2" into counts; nil when any item is not a whole number.
    static func parseCounts(_ text: String) -> [Int]? {
        let counts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 != nil }) else { return nil }
        return counts.compactMap { $0 }
    }

    /// `picture` cut to the aspect ratio of `width`x`height`, then resized to it (so faces keep their
    /// shape). A band is cut from the horizontal centre, or from a quarter of the way down (where
    /// faces in photos usually are: the centre band of the square sample would cut its face off).
    static func fill(_ picture: Image, width: Int, height: Int) -> Image {
        let target = Double(width) / Double(height)
        var crop = Rect(x: 0, y: 0, width: picture.width, height: picture.height)
        if Double(picture.width) / Double(picture.height) > target {
            crop.width = max(1, Int((Double(picture.height) * target).rounded()))
            crop.x = (picture.width - crop.width) / 2
        } else {
            crop.height = max(1, Int((Double(picture.width) / target).rounded()))
            crop.y = (picture.height - crop.height) / 4
        }
        return picture.croppedResized(to: crop, width: width, height: height)
    }

    /// "machine: CPU model, N cores (M usable), load average a b c".
    static func machineDescription() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
            .split(separator: " ").prefix(3).joined(separator: " ")
        return "machine: \(model), \(ProcessInfo.processInfo.processorCount) cores (\(ProcessInfo.processInfo.activeProcessorCount) usable), "
            + "load average \(load.isEmpty ? "unknown" : load)"
    }

    /// This process's peak resident set size in KiB (getrusage; Linux reports KiB).
    static func peakResidentKiB() -> Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
    }
}
