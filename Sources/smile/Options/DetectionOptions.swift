import ArgumentParser
import SmileKit
import SmileVision

/// Options that choose and tune the face detector.
struct DetectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Haar cascade XML file (default: $SMILE_CASCADE_DIR, the project's cascades/, then OpenCV's install).", valueName: "file"))
    var cascade: String?

    @Option(help: "Detector pyramid step; smaller finds more faces but is slower.")
    var scaleFactor: Double = 1.1

    @Option(help: "Raw detections needed to keep a face; larger gives fewer false faces.")
    var minNeighbours: Int = 5

    @Option(help: ArgumentHelp("Smallest face to look for, in pixels.", valueName: "px"))
    var minFace: Int = 0

    func validate() throws {
        guard scaleFactor > 1.0, scaleFactor <= 2.0 else { throw ValidationError("--scale-factor must be in (1, 2], got \(scaleFactor)") }
        guard minNeighbours >= 0 else { throw ValidationError("--min-neighbours must be >= 0") }
        guard minFace >= 0 else { throw ValidationError("--min-face must be >= 0") }
    }

    /// Builds the detector these options describe.
    func makeDetector() throws -> FaceDetector {
        var settings = FaceDetector.Settings()
        settings.scaleFactor = scaleFactor
        settings.minNeighbours = minNeighbours
        settings.minFaceSize = minFace
        return try FaceDetector(cascadePath: try CascadeLocator.locate(CascadeLocator.frontalFace, explicit: cascade), settings: settings)
    }
}
