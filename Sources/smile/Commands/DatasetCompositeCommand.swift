import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile dataset composite`: labelled face photos pasted into background photos at several scales.
struct DatasetCompositeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "composite",
        abstract: "Paste labelled face photos into background photos at several scales, for `smile eval`.",
        discussion: """
        Every face photo is pasted once per scale (the pasted photo's height as a fraction of \
        the background's) into a background picked with --seed, at a random place. Scale 1 \
        copies the face photo as it is, with no background. Writes OUT/0/ and OUT/1/ \
        (photo-level labels) and OUT/faces.csv (path,x,y,w,h,label: the face box in each \
        written image; the detector's box in the face photo, or the set's median box where \
        it finds none). Backgrounds can contain faces of their own: they are unlabelled.

        --faces takes a labelled set (class folders or CSV) or a GENKI-style folder \
        (labels.csv + files/). --split-side test keeps only the photos on the test side of the \
        training split (10% validation, 20% test, grouped by file name), so no image the model \
        was trained or tuned on leaks in.

        Example:
          smile dataset composite --faces ../shared/data/genki4k --split-side test \\
            --backgrounds ../shared/data/realworld/groups --out composite --scales 0.5,0.25,0.12
        """
    )

    @Option(help: ArgumentHelp("Face photos: labelled set or GENKI-style folder.", valueName: "labelled"))
    var faces: String

    @Option(help: ArgumentHelp("Background photos: files or directories (not needed when every scale is 1).", valueName: "dir"))
    var backgrounds: [String] = []

    @Option(help: ArgumentHelp("Output directory.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Comma-separated scales in (0, 1].", valueName: "list"))
    var scales: String = "0.5,0.25,0.12"

    @Option(help: "Seed for background choice and placement.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Keep only this side of the training split: train, validation or test.", valueName: "side"))
    var splitSide: String?

    @Option(help: ArgumentHelp("At most this many face photos per class (the first in path order).", valueName: "n"))
    var perClass: Int?

    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        guard parsedScales != nil else { throw ValidationError("--scales must be comma-separated numbers in (0, 1], got '\(scales)'") }
        if let splitSide, DataSplit.Side(rawValue: splitSide) == nil {
            throw ValidationError("--split-side must be train, validation or test, got '\(splitSide)'")
        }
        if let perClass, perClass < 1 { throw ValidationError("--per-class must be >= 1") }
    }

    var parsedScales: [Double]? {
        let values = scales.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 1 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        let console = RunConsole.standardError()
        var photos = try CompositeDataset.loadFaces(faces, side: splitSide.flatMap(DataSplit.Side.init(rawValue:)))
        if let perClass {
            photos = Array(photos.filter { $0.label == 0 }.prefix(perClass)) + Array(photos.filter { $0.label == 1 }.prefix(perClass))
        }
        let (items, missing) = ImageInputs.collect(backgrounds)
        missing.forEach(console.failed)
        let builder = CompositeDataset(faces: photos, backgrounds: items.map(\.path), scales: parsedScales!, seed: seed,
                                       outputDirectory: URL(fileURLWithPath: out))
        let summary = try builder.run(detector: try detection.makeDetector(), console: console)
        console.note("\(photos.count) face photos -> \(summary.written) images in \(out) (0/, 1/, faces.csv); "
            + "median box used for \(summary.medianBoxes); \(summary.failures.count + missing.count) inputs failed")
        if !summary.failures.isEmpty || !missing.isEmpty { throw ExitCode(1) }
    }
}
