import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit

/// `smile compare-frames`: how many of one frames table's faces another one found.
struct CompareFramesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-frames",
        abstract: "Check a faster detection setting against a thorough one: the share of a reference run's faces another run found.",
        discussion: """
        Both files are CSVs written by `smile frames` on the same clip. Frame by frame, the \
        candidate's faces are matched one-to-one to the reference's at IoU >= 0.5; the table \
        gives recall by face size, and the candidate's extra faces (which the reference may \
        have missed, so not all false). Exit status 0 when recall is at least --min-recall.

        Example:
          smile frames clip.mp4 --csv full.csv --detect-every 1
          smile frames clip.mp4 --csv fast.csv
          smile compare-frames full.csv fast.csv --min-recall 0.98
        """
    )

    @Argument(help: ArgumentHelp("Frames CSV of the reference run (e.g. --detect-every 1).", valueName: "reference.csv"))
    var reference: String

    @Argument(help: ArgumentHelp("Frames CSV of the run to check.", valueName: "candidate.csv"))
    var candidate: String

    @Option(help: ArgumentHelp("Exit with status 1 when recall is below this.", valueName: "r"))
    var minRecall: Double = 0

    func run() throws {
        let comparison: FrameComparison
        do {
            comparison = try FrameComparison(referenceFile: URL(fileURLWithPath: reference), candidateFile: URL(fileURLWithPath: candidate))
        } catch {
            RunConsole.standardError().note("error: \(error)")
            throw ExitCode(1)
        }
        print(EvaluationText.detectionTable(comparison.statistics), terminator: "")
        if comparison.framesMissing > 0 {
            print("\(comparison.framesMissing) reference frames (\(comparison.facesInMissingFrames) faces) are missing from \(candidate)")
        }
        print(String(format: "recall against the reference: %.4f (%d of %d faces)", comparison.recall,
                     comparison.statistics.overall.matched, comparison.statistics.overall.truths + comparison.facesInMissingFrames))
        if comparison.recall < minRecall { throw ExitCode(1) }
    }
}
