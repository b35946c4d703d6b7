import Foundation
import SmileKit
import SmileNN
import SmileVision
import XCTest

/// `smile eval`, `eval-detection`, `zoom` and `dataset composite` run as a user would.
final class EvalEndToEndTests: XCTestCase {
    var work: URL!
    var model: URL!

    override func setUpWithError() throws {
        work = try EndToEnd.temporaryDirectory()
        model = try EndToEnd.tinyModelFile(in: work)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: work) }

    private func copyAstronaut(to relative: String) throws -> URL {
        let url = work.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: url.path)
        return url
    }

    private func assertReportHasEverySection(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let html = try String(contentsOf: url, encoding: .utf8)
        for id in EvaluationReport.sectionIDs {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), "section \(id) in \(url.path)", file: file, line: line)
        }
    }

    func testEvalComparesBothDetectorsInOneReport() throws {
        _ = try copyAstronaut(to: "photos/astro.jpg")
        let labels = work.appendingPathComponent("faces.csv")
        try Data("path,x,y,w,h,label\nphotos/astro.jpg,177,67,93,93,1\n".utf8).write(to: labels)
        let report = work.appendingPathComponent("both"), csv = work.appendingPathComponent("eval.csv")
        let r = try EndToEnd.run(["eval", labels.path, "--detector", "haar,yunet", "--report", report.path, "--csv", csv.path,
                                  "--model", model.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("== detector: haar") && r.out.contains("== detector: yunet"), r.out)
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<h3>haar</h3>") && html.contains("<h3>yunet</h3>"), "a detection table per detector")
        XCTAssertTrue(html.contains("yunet: with detection"), "each detector's columns")
        for kind in ["haar", "yunet"] {
            let rows = EndToEnd.parseCSV(try String(contentsOf: work.appendingPathComponent("eval.\(kind).csv"), encoding: .utf8))
            XCTAssertEqual(rows.count, 2, "\(kind): \(rows)")
            XCTAssertEqual(rows.last?[7], "1", "\(kind) found the face")
        }
        let single = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("out").path,
                                       "--detector", "haar,yunet", "--model", model.path])
        XCTAssertNotEqual(single.status, 0)
        XCTAssertTrue(single.err.contains("takes one detector here"), single.err)
    }

    func testEvalPrintsBothModesAndWritesReportAndCSV() throws {
        _ = try copyAstronaut(to: "set/1/astro.jpg")
        _ = try copyAstronaut(to: "set/0/astro2.jpg")
        let blank = try ImageCodec.encode(Image(width: 120, height: 90, channels: 3, filledWith: 60), as: .png)
        try Data(blank).write(to: work.appendingPathComponent("set/0/blank.png"))
        let report = work.appendingPathComponent("report"), csv = work.appendingPathComponent("eval.csv")
        let r = try EndToEnd.run(["eval", work.appendingPathComponent("set").path, "--report", report.path, "--csv", csv.path,
                                  "--model", model.path])
        XCTAssertEqual(r.status, 0, r.err)
        for text in ["without detection", "with detection (faces found)", "with detection (all; not found = wrong)",
                     "accuracy", "ROC AUC", "best threshold", "Face not found (1):", "blank.png"] {
            XCTAssertTrue(r.out.contains(text), "\(text) in:\n\(r.out)")
        }
        try assertReportHasEverySection(report.appendingPathComponent("report.html"))
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8))
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows.allSatisfy { $0.count == 13 })
        // The report names the precision the classifier ran in (the one asked for, else this CPU's fastest).
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("(convolutions in \(ConvolutionPrecision.fastest.rawValue))"), "precision in the report")
        let float = work.appendingPathComponent("report-float32")
        XCTAssertEqual(try EndToEnd.run(["eval", work.appendingPathComponent("set").path, "--report", float.path, "--model", model.path,
                                         "--precision", "float32"]).status, 0)
        let floatHTML = try String(contentsOf: float.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(floatHTML.contains("(convolutions in float32)"), "--precision float32 in the report")
    }

    func testEvalExitsOneWhenAnInputIsBadButStillReports() throws {
        _ = try copyAstronaut(to: "a.jpg")
        try Data("a.jpg,1\nbroken.jpg,0\n".utf8).write(to: work.appendingPathComponent("set.csv"))
        try Data("not an image".utf8).write(to: work.appendingPathComponent("broken.jpg"))
        let r = try EndToEnd.run(["eval", work.appendingPathComponent("set.csv").path, "--model", model.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("broken.jpg"), r.err)
        XCTAssertTrue(r.out.contains("accuracy"), r.out)
    }

    /// With nothing readable to measure, eval and eval-detection say so and print no table of zeros.
    func testNothingToMeasureIsAnErrorWithoutATable() throws {
        _ = try copyAstronaut(to: "unsorted/a.jpg")
        let unsorted = work.appendingPathComponent("unsorted").path
        let eval = try EndToEnd.run(["eval", unsorted, "--model", model.path])
        XCTAssertEqual(eval.status, 1, eval.err)
        XCTAssertFalse(eval.out.contains("accuracy"), "no table: \(eval.out)")
        XCTAssertTrue(eval.err.contains("error: \(unsorted): no class folders"), "named once, with the reason: \(eval.err)")
        XCTAssertTrue(eval.err.contains("nothing to measure"), eval.err)

        let missing = work.appendingPathComponent("none.xml").path
        let detection = try EndToEnd.run(["eval-detection", missing])
        XCTAssertEqual(detection.status, 1, detection.err)
        XCTAssertFalse(detection.out.contains("recall"), "no table: \(detection.out)")
        XCTAssertTrue(detection.err.contains("error: \(missing): no such file\n"), detection.err)
        XCTAssertTrue(detection.err.contains("nothing to measure"), detection.err)
    }

    func testEvalDetectionOnAPerFaceCSV() throws {
        _ = try copyAstronaut(to: "a.jpg")
        try Data("path,x,y,w,h,label\na.jpg,177,67,93,93,1\na.jpg,400,400,40,40,0\n".utf8).write(to: work.appendingPathComponent("boxes.csv"))
        let report = work.appendingPathComponent("det")
        let r = try EndToEnd.run(["eval-detection", work.appendingPathComponent("boxes.csv").path, "--report", report.path])
        XCTAssertEqual(r.status, 0, r.err)
        let all = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("all (1 images)") })
        XCTAssertEqual(all.split(separator: " ").suffix(6).joined(separator: " "), "2 1 1 0 0.500 1.000")
        XCTAssertTrue(r.out.contains("s per photo"))
        try assertReportHasEverySection(report.appendingPathComponent("report.html"))
        XCTAssertEqual(try EndToEnd.run(["eval-detection", work.appendingPathComponent("none.xml").path]).status, 1)
    }

    func testZoomWritesCSVAndReportAndAnswers() throws {
        let csv = work.appendingPathComponent("zoom.csv"), report = work.appendingPathComponent("zoom")
        let r = try EndToEnd.run(["zoom", EndToEnd.astronaut, "--csv", csv.path, "--report", report.path, "--model", model.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("with detection: same verdict as full size down to a face of"), r.out)
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8))
        XCTAssertEqual(rows.count, 15)
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<polyline"), "the zoom chart is drawn")
        try assertReportHasEverySection(report.appendingPathComponent("report.html"))
        XCTAssertEqual(try EndToEnd.run(["zoom", work.appendingPathComponent("missing.jpg").path, "--model", model.path]).status, 1)
    }

    func testDatasetCompositeThenEval() throws {
        _ = try copyAstronaut(to: "faces/1/astro.jpg")
        let bg = try ImageCodec.encode(Image(width: 640, height: 480, channels: 3, filledWith: 100), as: .png)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("bg"), withIntermediateDirectories: true)
        try Data(bg).write(to: work.appendingPathComponent("bg/plain.png"))
        let out = work.appendingPathComponent("composite")
        let r = try EndToEnd.run(["dataset", "composite", "--faces", work.appendingPathComponent("faces").path,
                                  "--backgrounds", work.appendingPathComponent("bg").path, "--out", out.path, "--scales", "0.5,0.25"])
        XCTAssertEqual(r.status, 0, r.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["path", "x", "y", "w", "h", "label"])
        XCTAssertEqual(rows.count, 3)
        let e = try EndToEnd.run(["eval", out.appendingPathComponent("faces.csv").path, "--model", model.path])
        XCTAssertEqual(e.status, 0, e.err)
        XCTAssertTrue(e.out.contains("Face detection against the labelled boxes"), e.out)
        XCTAssertNotEqual(try EndToEnd.run(["dataset", "composite", "--faces", out.path, "--out", out.path, "--split-side", "nope"]).status, 0)
    }

    func testHelpTeachesWithAnExample() throws {
        for command in [["eval"], ["eval-detection"], ["zoom"], ["dataset", "composite"]] {
            let r = try EndToEnd.run(command + ["--help"])
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.out.contains("Example:"), "\(command) --help:\n\(r.out)")
            XCTAssertTrue(r.out.contains("smile \(command.joined(separator: " "))"), "\(command) --help shows its own use")
        }
    }
}
