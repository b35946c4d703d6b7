import Foundation

/// How many of a reference run's faces a candidate run of `smile frames` also found, frame by frame.
///
/// Used to check a faster detection setting against a thorough one on the same clip: the
/// reference's faces play the part of ground truth and are matched one-to-one at IoU >= 0.5
/// (`DetectionStatistics`), frame by frame. A candidate face matching nothing is counted as a
/// "false detection", though it may be a real face that the reference missed.
public struct FrameComparison: Sendable, Equatable {
    /// Matches over the frames present in both tables.
    public var statistics = DetectionStatistics()
    /// Frames of the reference missing from the candidate.
    public var framesMissing = 0
    /// Reference faces in those missing frames (not in `statistics`).
    public var facesInMissingFrames = 0

    /// Share of the reference's faces the candidate found, missing frames counted as missed.
    public var recall: Double {
        let total = statistics.overall.truths + facesInMissingFrames
        return total == 0 ? 1 : Double(statistics.overall.matched) / Double(total)
    }

    /// Compares two frames tables already read (rows without the header).
    public init(reference: [[String]], candidate: [[String]], referenceName: String, candidateName: String,
                minimumIoU: Double = BoxMatcher.defaultMinimumIoU) throws {
        let candidateFrames = Dictionary(uniqueKeysWithValues: try FramesTable.parseFrames(candidate, source: candidateName)
            .map { ($0.frame, $0.rows) })
        for (frame, rows) in try FramesTable.parseFrames(reference, source: referenceName) {
            let truths = rows.faces.map { $0.box }
            guard let other = candidateFrames[frame] else {
                framesMissing += 1
                facesInMissingFrames += truths.count
                continue
            }
            statistics.add(detections: other.faces.map { $0.box }, truths: truths, minimumIoU: minimumIoU)
        }
    }

    /// Reads both frames CSV files and compares them.
    public init(referenceFile: URL, candidateFile: URL) throws {
        try self.init(reference: try Self.rows(referenceFile), candidate: try Self.rows(candidateFile),
                      referenceName: referenceFile.path, candidateName: candidateFile.path)
    }

    /// The data rows of a frames CSV, checking its header.
    static func rows(_ url: URL) throws -> [[String]] {
        let records = try CSVTable.read(contentsOf: url)
        guard let header = records.first, header.fields == FramesTable.columns || header.fields == FramesTable.columns(landmarks: true) else {
            throw CSVFileError(file: url.path, line: 1,
                               reason: "not a smile frames table (expected the header \(FramesTable.columns.joined(separator: ",")))")
        }
        return records.dropFirst().map(\.fields)
    }
}
