import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// Measures each detection setting on ../shared/data/realworld/voc_boxes (both XMLs; needs SMILE_DATA) and prints
/// recall and precision at IoU >= 0.5 by face size, and ms per image. The defaults of `smile` come from this table.
/// Timings are wall-clock on whatever machine runs it; they are printed, never asserted.
final class DetectionSettingsDataTests: XCTestCase {
    func testSettingsTable() throws {
        guard let root = Fixtures.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping detection measurements on voc_boxes") }
        let dir = URL(fileURLWithPath: root).appendingPathComponent("realworld/voc_boxes")
        let sets = try ["training.xml", "testing.xml"].flatMap { try DlibXML.parse(contentsOf: dir.appendingPathComponent($0)) }
        let images = try sets.map { (try ImageCodec.decode(file: $0.file), $0.boxes) }
        let settings: [(String, (inout FaceDetector.Settings) -> Void)] = [
            ("plain", { _ in }),
            ("coarse-to-fine", { $0.pyramidSearch = .coarseToFine }),
            ("+upsample 2", { $0.upsample = 2 }),
            ("+angles ±20,±40", { $0.angles = [-40, -20, 20, 40] }),
            ("+angles ±20", { $0.angles = [-20, 20] }),
            ("+profile", { $0.profile = true }),
            ("+eye-check", { $0.eyeCheck = true }),
            ("all (upsample, ±20/40, profile)", { $0.upsample = 2; $0.angles = [-40, -20, 20, 40]; $0.profile = true }),
            ("all + eye-check", { $0.upsample = 2; $0.angles = [-40, -20, 20, 40]; $0.profile = true; $0.eyeCheck = true }),
        ]
        var results: [String: DetectionStatistics] = [:]
        print("voc_boxes: \(images.count) images, \(images.reduce(0) { $0 + $1.1.count }) faces")
        print("setting | recall all | precision all | <32 | 32-64 | 64-128 | >=128 (recall matched/truths, false) | ms/image")
        for (name, configure) in settings {
            var s = FaceDetector.Settings()
            configure(&s)
            let detector = try FaceDetector(cascadePath: Fixtures.frontalCascade(), settings: s)
            var stats = DetectionStatistics()
            let started = Date()
            for (image, truths) in images {
                let found = try detector.detect(in: image)
                stats.add(detections: found, truths: truths)
            }
            let ms = Date().timeIntervalSince(started) * 1000 / Double(images.count)
            results[name] = stats
            let f = { (v: Double?) in v.map { String(format: "%.2f", $0) } ?? "-" }
            let buckets = FaceSizeBucket.allCases.map { b -> String in
                let c = stats.byBucket[b]!
                return "\(c.matched)/\(c.truths) fp \(c.falseDetections)"
            }
            print("\(name) | \(f(stats.overall.recall)) (\(stats.overall.matched)/\(stats.overall.truths)) | \(f(stats.overall.precision)) (fp \(stats.overall.falseDetections)) | "
                  + buckets.joined(separator: " | ") + String(format: " | %.0f", ms))
        }
        // What must hold: each extra pass only adds faces, so recall never drops below the plain pass
        // (NMS may swap a box for a better-supported one, so allow one face of slack).
        let plain = results["plain"]!.overall.matched
        // The coarse-to-fine search (the photo default) finds the plain pass's faces.
        XCTAssertGreaterThanOrEqual(results["coarse-to-fine"]!.overall.matched, plain, "coarse-to-fine")
        for name in ["+upsample 2", "+angles ±20,±40", "+profile", "all (upsample, ±20/40, profile)"] {
            XCTAssertGreaterThanOrEqual(results[name]!.overall.matched, plain - 1, name)
        }
        XCTAssertLessThanOrEqual(results["+eye-check"]!.overall.falseDetections, results["plain"]!.overall.falseDetections)
    }
}
