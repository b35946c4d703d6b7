import Foundation
import SmileKit
import SmileNN
import SmileVision

/// Helpers shared by the SmileKit tests: temporary folders, the sample photo, a tiny model.
enum Fixtures {
    /// The project root (three levels above this file).
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `samples/astronaut.jpg`: one face (NASA, public domain, via scikit-image).
    static let astronaut = projectRoot.appendingPathComponent("samples/astronaut.jpg").path

    /// The frontal-face cascade from the usual places.
    static func frontalCascade() throws -> String { try CascadeLocator.locate(CascadeLocator.frontalFace) }

    /// A fresh empty temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smile-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small untrained VGG-19 (width 1/16, 32x32 gray) with valid metadata.
    static func tinyModel(seed: UInt64 = 1) -> SmileModel {
        let config = VGG19Configuration(widthMultiplier: 0.0625, inputHeight: 32, inputWidth: 32, inputChannels: 1,
                                        batchNorm: true, head: .globalAveragePool(dropout: 0), classes: 2)
        let metadata = ModelMetadata(architecture: "vgg19", network: config, normalisationMean: [128], normalisationStd: [64],
                                     framing: CropFraming(margin: 0.1), provenance: ["purpose": "tests"])
        return SmileModel(network: SmileModel.makeNetwork(for: metadata, seed: seed), metadata: metadata, source: "tiny")
    }

    /// A pipeline of the frontal cascade and the tiny untrained model (plumbing, not accuracy).
    static func tinyPipeline() throws -> SmilePipeline {
        SmilePipeline(detector: try FaceDetector(cascadePath: try frontalCascade()), model: tinyModel())
    }

    /// The data folder from `SMILE_DATA`, or nil when the data tests should skip.
    static var dataRoot: String? {
        guard let root = ProcessInfo.processInfo.environment["SMILE_DATA"], !root.isEmpty,
              FileManager.default.fileExists(atPath: root) else { return nil }
        return root
    }

    /// A collecting console for tests.
    final class Capture: @unchecked Sendable {
        var text = ""
        lazy var console = RunConsole(showsProgress: false) { [unowned self] in self.text += $0 }
    }
}
