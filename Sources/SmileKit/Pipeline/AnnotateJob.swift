import Foundation
import SmileVision

/// `smile annotate`: annotated copies of photos plus a faces table.
public struct AnnotateJob {
    /// Photos or directories to process.
    public var inputs: [String]
    /// Directory for the annotated copies; nil: no copies, only the table.
    public var outputDirectory: URL?
    /// Faces table CSV (default: `faces.csv` in the output directory; without either, only the JSON table is written).
    public var csvFile: URL?
    /// Optional faces table as JSON.
    public var jsonFile: URL?
    /// Continue a stopped run: photos already in the CSV are skipped and new rows appended.
    public var resume = false
    /// Allow the output directory to be (inside) an input directory.
    public var force = false
    /// Draw each face's landmarks (YuNet's five points) on the annotated copies.
    public var drawLandmarks = false
    /// This run's part of the inputs when the work is spread over several runs (`Shard`); each table
    /// written to a file gets its manifest (`ShardManifest`) for `smile merge`.
    public var shard: Shard?

    public init(inputs: [String], outputDirectory: URL?, csvFile: URL? = nil, jsonFile: URL? = nil, resume: Bool = false, force: Bool = false) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.csvFile = csvFile
        self.jsonFile = jsonFile
        self.resume = resume
        self.force = force
    }

    /// What a run did.
    public struct Summary: Equatable {
        public var processed = 0
        public var faces = 0
        public var smiling = 0
        public var failures: [InputFailure] = []
        /// Photos skipped because a resumed CSV already had them.
        public var alreadyDone = 0
        /// Files in the input directories left out as not photos (by extension).
        public var notPhotos: [String] = []
        /// The signal that stopped the run early, if one did.
        public var stoppedBy: Int32?
    }

    /// Processes every input, reporting each bad one on `console` and going on with the rest.
    ///
    /// Stops after the current photo once `stop` is set. Throws `OutputError` when an output
    /// cannot be written or would land on an input. Temporary files a killed run left in the
    /// output directories are removed first (`StaleTemporaryFiles`).
    public func run(pipeline: SmilePipeline, console: RunConsole, stop: StopRequest = StopRequest()) throws -> Summary {
        let csvURL = csvFile ?? outputDirectory?.appendingPathComponent("faces.csv")
        guard csvURL != nil || jsonFile != nil else {
            throw OutputError(path: "", reason: "no output: give an output directory, a CSV file or a JSON file")
        }
        if let outputDirectory { try OutputSafety.checkOutputDirectory(outputDirectory, inputs: inputs, option: "--out", force: force) }
        let (allItems, missing, skipped) = ImageInputs.scan(inputs)
        let items = shard.map { shard in allItems.filter { shard.contains(path: $0.path) } } ?? allItems
        let inputPaths = Set(allItems.map { OutputSafety.resolvedPath($0.path) })
        if let csvURL { try OutputSafety.checkOutputFile(csvURL, inputFiles: inputPaths, option: "the CSV file") }
        // One writer per output: a second run on the same table or folder stops here, having written nothing.
        let locks = try OutputLock.lockAll(files: [csvURL, jsonFile].compactMap { $0 }, folders: outputDirectory.map { [$0] } ?? [])
        defer { withExtendedLifetime(locks) {} }
        if let jsonFile { try OutputSafety.checkOutputFile(jsonFile, inputFiles: inputPaths, option: "the JSON file") }
        // Temporary files are only ever left beside regular files: a device's directory (/dev) is not searched.
        let flat = [csvURL, jsonFile].compactMap { $0 }.filter { !OutputSafety.isDevicePath($0) }.map { $0.deletingLastPathComponent() }
        StaleTemporaryFiles.clean(recursive: outputDirectory.map { [$0] } ?? [], flat: flat, console: console)
        var summary = Summary()
        summary.notPhotos = skipped
        missing.forEach { summary.failures.append($0); console.failed($0) }
        // YuNet's tables carry its score and landmarks; a table of the other layout is refused on --resume.
        let landmarks = pipeline.detector.yunet != nil
        let header = FacesTable.header(landmarks: landmarks)
        // Tables in files carry the shard's manifest, marked complete once every input was tried.
        let manifestTables = shard == nil ? [] : [csvURL, jsonFile].compactMap { $0 }.filter { !OutputSafety.isDevicePath($0) }
        if resume, let csvURL { try ShardManifest.checkResume(of: csvURL, as: shard) }
        if let shard { for table in manifestTables { try ShardManifest(shard: shard, inputs: items.count, complete: false).write(for: table) } }
        var csv: RowFile?, previousRows: [[String]] = []
        if let csvURL {
            (csv, previousRows) = resume ? try RowFile.resuming(url: csvURL, header: header) : (try RowFile(url: csvURL, header: header), [])
        }
        var records = try Self.records(fromRows: previousRows, source: csvURL?.path ?? "", landmarks: landmarks)
        let done = Set(records.map(\.image))
        var usedNames: Set<String> = []
        // Photos are read and searched one ahead on a thread of their own (PhotoStages), in order.
        let stages = PhotoStages(items: items, skip: done, detector: pipeline.detector)
        defer { stages.finish() }
        while let photo = stages.next() {
            if let signal = stop.signal {
                summary.stoppedBy = signal
                break
            }
            let item = photo.item
            console.progress("annotating", done: photo.index, total: items.count)
            let name = uniqueName(for: item.relativeName, used: &usedNames)
            let image: Image, detected: [DetectedFace]
            switch photo.content {
            case .alreadyDone:
                summary.alreadyDone += 1
                continue
            case .failed(let failure):
                summary.failures.append(failure)
                console.failed(failure)
                continue
            case .detected(let decoded, let found, let time):
                pipeline.recordDetection(time)
                (image, detected) = (decoded, found)
            }
            do {
                let faces = pipeline.classify(detected, in: image)
                if let outputDirectory {
                    let output = outputDirectory.appendingPathComponent(name)
                    guard !inputPaths.contains(OutputSafety.resolvedPath(output.path)) else {
                        throw InputFailure(path: item.path, reason: "the annotated copy would overwrite an input (\(output.path)); choose another --out")
                    }
                    let format = ImageCodec.format(forPathExtension: output.pathExtension) ?? .jpeg(quality: 90)
                    // The copy first, then the rows: a photo in the CSV always has its copy.
                    try writeAtomically(Data(try ImageCodec.encode(Annotator.annotate(image, faces: faces, landmarks: drawLandmarks), as: format)), to: output)
                }
                try csv?.append(FacesTable.rows(image: item.path, faces: faces, landmarks: landmarks))
                records.append(FacesTable.ImageRecord(image: item.path, faces: faces))
                summary.processed += 1
                summary.faces += faces.count
                summary.smiling += faces.filter(\.isSmiling).count
            } catch let error as OutputError {
                throw error
            } catch {
                let failure = (error as? InputFailure) ?? InputFailure(path: item.path, error: error)
                summary.failures.append(failure)
                console.failed(failure)
            }
        }
        if summary.stoppedBy == nil { console.progress("annotating", done: items.count, total: items.count) }
        if let jsonFile {
            try writeAtomically(try FacesTable.jsonEncoder().encode(records), to: jsonFile)
        }
        try csv?.close()
        if let shard, summary.stoppedBy == nil {
            for table in manifestTables { try ShardManifest(shard: shard, inputs: items.count, complete: true).write(for: table) }
        }
        return summary
    }

    /// Image records from faces-table rows, in the order the images first appear.
    static func records(fromRows rows: [[String]], source: String, landmarks: Bool = false) throws -> [FacesTable.ImageRecord] {
        var order: [String] = [], grouped: [String: [[String]]] = [:]
        let columns = FacesTable.columns(landmarks: landmarks).count
        for row in rows {
            guard row.count == columns else {
                throw OutputError(path: source, reason: "cannot resume: a row has \(row.count) fields, not \(columns)")
            }
            if grouped[row[0]] == nil { order.append(row[0]) }
            grouped[row[0], default: []].append(row)
        }
        return try order.map { image in
            guard let record = FacesTable.ImageRecord(image: image, rows: grouped[image]!) else {
                throw OutputError(path: source, reason: "cannot resume: malformed rows for \(image)")
            }
            return record
        }
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
