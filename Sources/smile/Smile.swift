import ArgumentParser
import SmileKit

/// The `smile` command: finds faces and tells whether each person is smiling.
@main
struct Smile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smile",
        abstract: "Find every face in photos, frame directories and videos, and tell whether each person is smiling.",
        discussion: """
        Faces are found with OpenCV's Haar cascades; each face crop is classified by a VGG-19 \
        network written in Swift. Results go to annotated images and CSV tables.

        Examples:
          smile annotate party.jpg holiday/ --out annotated
          smile frames clip.mp4 --csv clip.csv
          smile eval labelled/ --report eval-report
          smile model info models/smile-default.safetensors
        """,
        subcommands: [AnnotateCommand.self, FramesCommand.self, EvalCommand.self, EvalDetectionCommand.self, MergeCommand.self, ZoomCommand.self,
                      CompareFramesCommand.self, DatasetCommand.self, TrainCommand.self, ModelCommand.self, ImportKerasCommand.self]
    )

    /// Runs the command line, with freed photo buffers kept for the next photo (see ProcessMemory).
    static func main() {
        ProcessMemory.keepFreedBuffers()
        main(nil)
    }
}
