import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// `EvaluationJob` on small sets built here: the tiny untrained model checks plumbing, not accuracy.
final class EvaluationJobTests: XCTestCase {
    var tmp: TempDirectory!
    var pipeline: SmilePipeline!

    override func setUpWithError() throws {
        tmp = try TempDirectory()
        pipeline = try Fixtures.tinyPipeline()
    }
    override func tearDown() { tmp.remove() }

    /// Copies the astronaut (one face) to `relative`.
    private func astronaut(_ relative: String) throws {
        try tmp.write(relative)
        try? FileManager.default.removeItem(atPath: tmp.path(relative))
        try FileManager.default.copyItem(atPath: Fixtures.astronaut, toPath: tmp.path(relative))
    }

    /// A flat grey photo: no face in it.
    private func blank(_ relative: String) throws {
        try tmp.write(relative)
        let png = try ImageCodec.encode(Image(width: 200, height: 150, channels: 3, filledWith: 128), as: .png)
        try Data(png).write(to: tmp.url.appendingPathComponent(relative))
    }

    func testClassFoldersCountBothModesAndPhotosWithoutAFace() throws {
        try astronaut("set/1/astro.jpg")
        try astronaut("set/0/astro-as-not.jpg")
        try blank("set/0/blank.png")
        try blank("set/1/blank-smiling.png")
        let csv = tmp.url.appendingPathComponent("rows.csv")
        let capture = Fixtures.Capture()
        let result = try EvaluationJob(inputs: [tmp.path("set")], csvFile: csv, bootstrapReplicates: 50)
            .run(pipeline: pipeline, console: capture.console)

        XCTAssertEqual(result.examples, 4)
        XCTAssertEqual(result.photos, 4)
        XCTAssertEqual(result.withoutDetection.metrics.confusion.total, 4)
        XCTAssertEqual(result.withDetectionFound.metrics.confusion.total, 2, "only the two astronauts have a face")
        XCTAssertEqual(result.withDetectionAll.metrics.confusion.total, 4)
        XCTAssertEqual(Set(result.notFound.map { ($0.path as NSString).lastPathComponent }), ["blank.png", "blank-smiling.png"])
        // Not found counts as wrong in the "all" column: the smiling blank is a false negative, the other a false positive.
        let found = result.withDetectionFound.metrics.confusion, all = result.withDetectionAll.metrics.confusion
        XCTAssertEqual(all.falseNegatives, found.falseNegatives + 1)
        XCTAssertEqual(all.falsePositives, found.falsePositives + 1)
        XCTAssertNil(result.detection, "no boxes, no detection statistics")
        XCTAssertTrue(result.failures.isEmpty)
        XCTAssertGreaterThanOrEqual(result.gallery.count, 2, "unfound photos are shown")
        XCTAssertTrue(result.notes[0].contains("face not found for 2"), result.notes[0])

        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(rows[0], "image,label,x,y,w,h,p_without_detection,face_found,det_x,det_y,det_w,det_h,p_with_detection")
        XCTAssertEqual(rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[7] == "0" }.count, 2)
    }

    func testPhotosLabelledAsAWholeWithSeveralFacesAreCountedAndNoted() throws {
        try astronaut("set/1/astro.jpg")
        // The astronaut twice, side by side: two faces in a photo with one label.
        let single = try ImageCodec.decode(file: Fixtures.astronaut)
        var pair = Image(width: 2 * single.width, height: single.height, channels: 3)
        for y in 0..<single.height { for x in 0..<single.width { for c in 0..<3 {
            pair[x, y, c] = single[x, y, c]
            pair[x + single.width, y, c] = single[x, y, c]
        } } }
        try tmp.write("set/1/pair.png")
        try Data(try ImageCodec.encode(pair, as: .png)).write(to: tmp.url.appendingPathComponent("set/1/pair.png"))
        let result = try EvaluationJob(inputs: [tmp.path("set")], bootstrapReplicates: 20)
            .run(pipeline: pipeline, console: Fixtures.Capture().console)
        XCTAssertEqual(result.photos, 2)
        XCTAssertEqual(result.photosWithSeveralFaces, 1, "the pair has two faces, the single astronaut one")
        XCTAssertTrue(result.notes.contains { $0.hasPrefix("1 photos labelled as a whole had several faces") }, "\(result.notes)")
    }

    func testPerFaceCSVMatchesBoxesAndCountsMissesAndFalseDetections() throws {
        try astronaut("photos/astro.jpg")
        let face = try XCTUnwrap(pipeline.detector.detect(in: ImageCodec.decode(file: Fixtures.astronaut)).first)
        // The real face (shifted a little, still IoU >= 0.5) and a labelled "face" where there is none.
        try tmp.write("faces.csv", """
        path,x,y,w,h,label
        photos/astro.jpg,\(face.x + 5),\(face.y + 3),\(face.width),\(face.height),1
        photos/astro.jpg,5,400,60,60,0
        """)
        let result = try EvaluationJob(inputs: [tmp.path("faces.csv")], bootstrapReplicates: 20)
            .run(pipeline: pipeline, console: Fixtures.Capture().console)
        XCTAssertEqual(result.photos, 1, "the photo is decoded once for both rows")
        XCTAssertEqual(result.examples, 2)
        let stats = try XCTUnwrap(result.detection)
        XCTAssertEqual(stats.overall.truths, 2)
        XCTAssertEqual(stats.overall.matched, 1)
        XCTAssertEqual(stats.overall.missed, 1)
        XCTAssertEqual(stats.overall.falseDetections, 0)
        XCTAssertEqual(result.withDetectionFound.metrics.confusion.positives, 1)
        XCTAssertEqual(result.withDetectionFound.metrics.confusion.negatives, 0)
        XCTAssertEqual(result.notFound.map(\.box), [Rect(x: 5, y: 400, width: 60, height: 60)])
        XCTAssertEqual(result.withDetectionAll.metrics.confusion.falsePositives, 1, "the missed not-smiling face counts as wrong")
        let p = try XCTUnwrap(pipeline.analyse(ImageCodec.decode(file: Fixtures.astronaut)).first).smileProbability
        XCTAssertEqual(result.withDetectionFound.roc.points.isEmpty, true, "one class only: no ROC")
        XCTAssertEqual(result.withDetectionFound.metrics.confusion.truePositives, p >= pipeline.threshold ? 1 : 0)
    }

    func testPathLabelCSVAndAMissingPhotoIsAFailureNotAStop() throws {
        try astronaut("a.jpg")
        try tmp.write("set.csv", "a.jpg,1\nmissing.jpg,0\n")
        let capture = Fixtures.Capture()
        let result = try EvaluationJob(inputs: [tmp.path("set.csv"), tmp.path("nope.csv")], bootstrapReplicates: 10)
            .run(pipeline: pipeline, console: capture.console)
        XCTAssertEqual(result.examples, 1)
        XCTAssertEqual(result.failures.count, 2)
        XCTAssertTrue(capture.text.contains("missing.jpg"), capture.text)
        XCTAssertTrue(capture.text.contains("nope.csv"), capture.text)
    }

    func testTextTableHasEveryModeAndFigure() throws {
        let samples = [ScoredLabel(label: 1, probability: 0.9), ScoredLabel(label: 0, probability: 0.2),
                       ScoredLabel(label: 1, probability: 0.4), ScoredLabel(label: 0, probability: 0.6)]
        let a = ModeEvaluation(name: "without detection", samples: samples, bootstrapReplicates: 10)
        let text = EvaluationText.table([a], notes: ["a note"])
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("figure"))
        XCTAssertTrue(text.contains("accuracy"))
        XCTAssertTrue(text.contains("0.500 ["), text)
        XCTAssertTrue(text.contains("1 1 / 1 1"), "TP FN / FP TN: \(text)")
        XCTAssertEqual(lines.last, "a note")
    }
}
