import ArgumentParser
import SmileBenchmarks
import SmileCommandLine
import Foundation
import SmileKit
import SmileNN
import SmileVision

/// `smile-bench photos`: what `annotate` spends on each photo, stage by stage.
struct BenchPhotosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photos",
        abstract: "Time annotate's work on each photo: decoding, face detection, classification, drawing and encoding.",
        discussion: """
        Each photo goes --warmup times untimed, then --repeats times timed, through what \
        `smile annotate` does with it, in memory (nothing is written): decode the file, find the \
        faces, classify them in one batch, draw the boxes and encode the copy as JPEG. The table \
        gives the median milliseconds of each stage and of the whole per photo, with its size and \
        faces, then a summary of the photos of up to 1 megapixel (how many took 100 ms or less, \
        median, mean) and where the time goes: a least-squares split of each stage into \
        milliseconds per megapixel and per face over all the photos, with how many faces a photo \
        of 1 MP (and of 0.8 MP) can hold within 100 ms by that split. With --compare-full the full \
        pyramid search is timed too on each photo, alternating with the photo default \
        (coarse-to-fine), with the ratio of the two and the faces each found. One thread unless \
        --threads says otherwise. --clock cpu times process CPU time instead of wall time: steadier \
        when other processes share the core, though not when the machine itself runs slower (to \
        compare two builds, alternate them: bench/compare-builds.sh). Prints the machine and the \
        peak resident memory. A photo that \
        cannot be read is named on stderr with the reason, the others are still timed, and the \
        exit status is then 1.

        Examples:
          smile-bench photos ../shared/data/realworld/groups
          smile-bench photos ../shared/data/realworld --repeats 3 --compare-full
        """
    )

    @Argument(help: ArgumentHelp("Photos or directories of photos.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("Timed passes per photo.", valueName: "n"))
    var repeats: Int = 5

    @Option(help: ArgumentHelp("Untimed passes per photo before timing.", valueName: "n"))
    var warmup: Int = 1

    @Flag(help: "Also time detection with the full pyramid search on each photo, alternating, and print the ratio.")
    var compareFull = false

    @Option(help: ArgumentHelp("Clock: wall (elapsed) or cpu (process CPU time; steadier on a busy machine).", valueName: "clock"))
    var clock = "wall"

    @OptionGroup var detection: DetectionOptions
    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") }
        guard InferenceTiming.Clock(rawValue: clock) != nil else { throw ValidationError("--clock must be wall or cpu") }
    }

    /// One photo's median milliseconds per stage.
    private struct Row {
        var name: String
        var megapixels: Double
        var faces: Int
        var decode, detect, classify, draw, total: Double
        var fullDetect: Double?
        var fullFaces: Int?
    }

    /// The clock of every timing (--clock).
    var timingClock: InferenceTiming.Clock { InferenceTiming.Clock(rawValue: clock) ?? .wall }

    func run() throws {
        let pipeline = try makePipeline(detection, model)
        var fullSettings = pipeline.detector.settings
        fullSettings.pyramidSearch = .full
        let full = compareFull ? try FaceDetector(cascadePath: pipeline.detector.cascade.path, settings: fullSettings) : nil
        let (items, failures) = ImageInputs.collect(paths)
        for failure in failures { FileHandle.standardError.write(Data("smile: \(failure.path): \(failure.reason)\n".utf8)) }
        guard !items.isEmpty else { throw ValidationError("no photos found in \(paths.joined(separator: ", "))") }

        print(BenchDetectSupport.machineDescription())
        print("detection: scale factor \(pipeline.detector.settings.scaleFactor), \(pipeline.detector.settings.pyramidSearch.rawValue) "
              + "pyramid search; model \(pipeline.model.source) (convolutions in \(pipeline.model.precision.rawValue)); \(warmup) warm-up + \(repeats) timed passes per photo; median ms"
              + (clock == "cpu" ? " of process CPU time" : ""))
        print("")
        print("| photo | MP | faces | decode | detect | classify | draw + encode | total |" + (full == nil ? "" : " full search: detect | faces | ratio |"))
        print("|---|---|---|---|---|---|---|---|" + (full == nil ? "" : "---|---|---|"))
        var rows: [Row] = []
        var failed = failures.count
        for item in items {
            do {
                let row = try measure(item, pipeline: pipeline, full: full)
                rows.append(row)
                var line = String(format: "| %@ | %.2f | %d | %.1f | %.1f | %.1f | %.1f | %.1f |", row.name, row.megapixels, row.faces,
                                  row.decode, row.detect, row.classify, row.draw, row.total)
                if let fullDetect = row.fullDetect, let fullFaces = row.fullFaces {
                    line += String(format: " %.1f | %d | %.2f |", fullDetect, fullFaces, row.detect / fullDetect)
                }
                print(line)
                fflush(stdout)
            } catch {
                failed += 1
                FileHandle.standardError.write(Data("smile: \(item.path): \((error as? VisionError)?.message ?? "\(error)")\n".utf8))
            }
        }
        print("")
        summarise(rows)
        printCostModel(rows)
        print(String(format: "peak RSS: %.1f MiB", Double(BenchDetectSupport.peakResidentKiB()) / 1024))
        // Like annotate: the exit status says whether every input could be measured.
        if failed > 0 { throw ExitCode(1) }
    }

    /// Median stage times of one photo (and of the full search's detection, when comparing).
    private func measure(_ item: ImageInputs.Item, pipeline: SmilePipeline, full: FaceDetector?) throws -> Row {
        var decode: [Double] = [], detect: [Double] = [], classify: [Double] = [], draw: [Double] = [], fullDetect: [Double] = []
        var faces: [DetectedFace] = [], fullFaces = 0, megapixels = 0.0
        for pass in 0..<(warmup + repeats) {
            let timed = pass >= warmup
            let (image, d) = try BenchDetectSupport.timed(clock: timingClock) { try ImageCodec.decode(file: item.path) }
            megapixels = Double(image.width * image.height) / 1e6
            let f = try BenchDetectSupport.milliseconds(clock: timingClock) { faces = try pipeline.detector.detectFaces(in: image) }
            var results: [FaceResult] = []
            let c = BenchDetectSupport.milliseconds(clock: timingClock) { results = pipeline.classify(faces, in: image) }
            let a = try BenchDetectSupport.milliseconds(clock: timingClock) {
                _ = try ImageCodec.encode(Annotator.annotate(image, faces: results), as: .jpeg(quality: 90))
            }
            let g = try full.map { detector in try BenchDetectSupport.milliseconds(clock: timingClock) { fullFaces = try detector.detectFaces(in: image).count } }
            if timed {
                decode.append(d)
                detect.append(f)
                classify.append(c)
                draw.append(a)
                if let g { fullDetect.append(g) }
            }
        }
        let m = BenchDetectSupport.median
        let totals = (0..<repeats).map { decode[$0] + detect[$0] + classify[$0] + draw[$0] }
        return Row(name: item.relativeName, megapixels: megapixels, faces: faces.count,
                   decode: m(decode), detect: m(detect), classify: m(classify), draw: m(draw), total: m(totals),
                   fullDetect: full == nil ? nil : m(fullDetect), fullFaces: full == nil ? nil : fullFaces)
    }

    /// The photos of up to 1 MP: how many took 100 ms or less, their median and their mean.
    private func summarise(_ rows: [Row]) {
        let small = rows.filter { $0.megapixels <= 1.0 }
        guard !small.isEmpty else { return print("no photo of up to 1 MP") }
        let within = small.filter { $0.total <= 100 }
        print(String(format: "photos of up to 1 MP: %d; %d in 100 ms or less; median %.1f ms (detect %.1f, classify %.1f)", small.count,
                     within.count, BenchDetectSupport.median(small.map(\.total)), BenchDetectSupport.median(small.map(\.detect)),
                     BenchDetectSupport.median(small.map(\.classify))))
        print(String(format: "mean %.1f ms per photo of up to 1 MP", small.map(\.total).reduce(0, +) / Double(small.count)))
        if let worst = small.max(by: { $0.total < $1.total }) {
            print(String(format: "slowest of them: %@, %.1f ms with %d faces", worst.name, worst.total, worst.faces))
        }
        let ratios = small.compactMap { row in row.fullDetect.map { row.detect / $0 } }
        if !ratios.isEmpty {
            print(String(format: "detection time against the full search: median ratio %.2f (range %.2f-%.2f)",
                         BenchDetectSupport.median(ratios), ratios.min()!, ratios.max()!))
        }
    }

    /// Where the time went over all the photos timed: per megapixel and per face (least squares), and
    /// how many faces a photo of 1 MP and of 0.8 MP can hold within 100 ms by that fit.
    private func printCostModel(_ rows: [Row]) {
        let samples = rows.map { r in
            PhotoCostModel.Sample(megapixels: r.megapixels, faces: r.faces, detect: r.detect, classify: r.classify, other: r.decode + r.draw)
        }
        guard let model = PhotoCostModel.fit(samples) else {
            return print("where the time goes: not fitted (needs photos of at least three different face counts, not in proportion to their pixels)")
        }
        print(String(format: "where the time goes (least squares over the %d photos): detection %.1f ms per MP + %.2f ms per face; "
                     + "classification %.2f ms per face; decoding, drawing and encoding %.1f ms per MP; "
                     + "the fit is off by %.1f ms a photo (rms)", rows.count, model.detectPerMegapixel, model.detectPerFace,
                     model.classifyPerFace, model.otherPerMegapixel, model.rmsError))
        let fits = [1.0, 0.8].map { megapixels -> String in
            guard let faces = model.faces(within: 100, megapixels: megapixels) else {
                return String(format: "none of %.1f MP, even without faces", megapixels)
            }
            return String(format: "one of %.1f MP with up to %d faces", megapixels, faces)
        }
        print("by that fit a photo fits in 100 ms: " + fits.joined(separator: "; "))
    }
}
