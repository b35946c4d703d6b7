import Foundation

/// What `smile eval --report DIR` keeps beside `DIR/report.html` in `DIR/evaluation.json`: the
/// model, the command and each detector's raw tally, from which the report is drawn.
///
/// The shards of an evaluation (`--shard K/N`) each keep one; `smile merge` joins them into the
/// record, and the report, that one run over all the photos would have written (the gallery aside,
/// which keeps the first shards' faces up to its limit).
public struct EvaluationRecord: Codable, Sendable {
    /// One detector's tally.
    public struct DetectorTally: Codable, Sendable {
        /// The detector's name (`haar`, `yunet`).
        public var detector: String
        /// What was measured with it.
        public var tally: EvaluationTally

        /// Creates a detector's entry.
        public init(detector: String, tally: EvaluationTally) {
            self.detector = detector
            self.tally = tally
        }
    }

    /// The model file and the precision its convolutions ran in.
    public var model: String
    /// The command line that measured it.
    public var command: String
    /// Each detector's tally, in the order given on the command line.
    public var detectors: [DetectorTally]

    /// The record's file name inside a report folder.
    public static let fileName = "evaluation.json"

    /// Creates a record.
    public init(model: String, command: String, detectors: [DetectorTally]) {
        self.model = model
        self.command = command
        self.detectors = detectors
    }

    /// Each detector's figures, with bootstrap intervals of `replicates` replicates.
    public func results(replicates: Int = Bootstrap.defaultReplicates) -> [(detector: String, result: EvaluationResult)] {
        detectors.map { ($0.detector, $0.tally.result(replicates: replicates)) }
    }

    /// Writes `report.html` (drawn from `results`, which must be this record's) and `evaluation.json` into `folder`.
    public func writeReport(_ results: [(detector: String, result: EvaluationResult)], into folder: URL, date: Date = Date()) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let run = EvaluationReport.RunInfo(model: model, date: date, command: command)
        try EvaluationReport.write(EvaluationReport.Input(evaluations: results, run: run),
                                   to: folder.appendingPathComponent("report.html"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try writeAtomically(try encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    /// The record in report folder `folder`.
    public static func read(fromReportFolder folder: URL) throws -> EvaluationRecord {
        let url = folder.appendingPathComponent(fileName)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ShardError("\(url.path): cannot read: \(systemReason(error))")
        }
        do { return try JSONDecoder().decode(EvaluationRecord.self, from: data) } catch {
            throw ShardError("\(url.path): not an evaluation record (\(error))")
        }
    }

    /// This record joined with `other`'s, detector by detector; refuses records of other models or detectors.
    public func merged(with other: EvaluationRecord) throws -> EvaluationRecord {
        guard other.model == model else {
            throw ShardError("the shards evaluated different models (\(model) and \(other.model))")
        }
        guard other.detectors.map(\.detector) == detectors.map(\.detector) else {
            throw ShardError("the shards ran different detectors (\(detectors.map(\.detector)) and \(other.detectors.map(\.detector)))")
        }
        var joined = self
        for index in detectors.indices {
            joined.detectors[index].tally = try detectors[index].tally.merged(with: other.detectors[index].tally)
        }
        return joined
    }
}

extension EvaluationReport.Input {
    /// The report of an evaluation with one or several detectors: "without detection" once, then
    /// each detector's two columns, detection tables and misclassified faces under its name.
    public init(evaluations results: [(detector: String, result: EvaluationResult)], run: EvaluationReport.RunInfo) {
        guard results.count > 1, let first = results.first?.result else {
            let r = results.first?.result
            self.init(title: "Smile evaluation", run: run, modes: r?.modes ?? [], detection: r?.detection,
                      gallery: r?.gallery ?? [], notes: r?.notes ?? [])
            return
        }
        self.init(title: "Smile evaluation: " + results.map(\.detector).joined(separator: " and "), run: run, modes: [])
        var modes = [first.withoutDetection]
        for (name, result) in results {
            for var mode in [result.withDetectionFound, result.withDetectionAll] {
                mode.name = "\(name): \(mode.name)"
                modes.append(mode)
            }
            notes += result.notes.map { "\(name): \($0)" }
            gallery += result.gallery.map { item in
                var tagged = item
                tagged.mode = "\(name)\(item.mode.map { ", \($0)" } ?? "")"
                return tagged
            }
            if let stats = result.detection { detectionByDetector.append((name, stats)) }
        }
        self.modes = modes
    }
}
