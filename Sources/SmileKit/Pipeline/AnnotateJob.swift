import Foundation
import SmileVision

/// `smile annotate`: annotated copies of photos plus a faces table.
public struct AnnotateJob {
    /// Photos or directories to process.
    public var inputs: [String]
    /// Directory for the annotated copies.
    public var outputDirectory: URL
    /// Faces table CSV (default: `faces.csv` in the output directory).
    public var csvFile: URL?
    /// Optional faces table as JSON.
    public var jsonFile: URL?

    public init(inputs: [String], outputDirectory: URL, csvFile: URL? = nil, jsonFile: URL? = nil) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.csvFile = csvFile
        self.jsonFile = jsonFile
    }

    /// What a run did.
    public struct Summary: Equatable {
        public var processed = 0
        public var faces = 0
        public var smiling = 0
        public var failures: [InputFailure] = []
    }

    /// Processes every input, reporting each bad one on `console` and going on with the rest.
    public func run(pipeline: SmilePipeline, console: RunConsole) throws -> Summary {
        let (items, missing) = ImageInputs.collect(inputs)
        var summary = Summary()
        missing.forEach { summary.failures.append($0); console.failed($0) }
        let csv = try RowFile(url: csvFile ?? outputDirectory.appendingPathComponent("faces.csv"), header: FacesTable.header)
        let inputPaths = Set(items.map { URL(fileURLWithPath: $0.path).standardizedFileURL.resolvingSymlinksInPath().path })
        var records: [FacesTable.ImageRecord] = []
        var usedNames: Set<String> = []
        for (index, item) in items.enumerated() {
            console.progress("annotating", done: index, total: items.count)
            do {
                let image = try ImageCodec.decode(file: item.path)
                let faces = try pipeline.analyse(image)
                let output = outputDirectory.appendingPathComponent(uniqueName(for: item.relativeName, used: &usedNames))
                guard !inputPaths.contains(output.standardizedFileURL.resolvingSymlinksInPath().path) else {
                    throw InputFailure(path: item.path, reason: "the annotated copy would overwrite an input (\(output.path)); choose another --out")
                }
                let format = ImageCodec.format(forPathExtension: output.pathExtension) ?? .jpeg(quality: 90)
                try writeAtomically(Data(try ImageCodec.encode(Annotator.annotate(image, faces: faces), as: format)), to: output)
                try csv.append(FacesTable.rows(image: item.path, faces: faces))
                records.append(FacesTable.ImageRecord(image: item.path, faces: faces))
                summary.processed += 1
                summary.faces += faces.count
                summary.smiling += faces.filter(\.isSmiling).count
            } catch let error as OutputError {
                throw error
            } catch {
                let failure = (error as? InputFailure) ?? InputFailure(path: item.path, reason: describe(error))
                summary.failures.append(failure)
                console.failed(failure)
            }
        }
        console.progress("annotating", done: items.count, total: items.count)
        if let jsonFile {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try writeAtomically(try encoder.encode(records), to: jsonFile)
        }
        return summary
    }

    /// The output name for an input: its relative path with a format we can write, made unique.
    private func uniqueName(for relativeName: String, used: inout Set<String>) -> String {
        var name = relativeName
        if ImageCodec.format(forPathExtension: (name as NSString).pathExtension) == nil { name += ".jpg" }
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var candidate = name, counter = 2
        while used.contains(candidate) {
            candidate = "\(stem)-\(counter).\(ext)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}

/// A readable reason for an error from any layer.
func describe(_ error: Error) -> String {
    if let vision = error as? VisionError { return vision.message }
    return String(describing: error)
}
