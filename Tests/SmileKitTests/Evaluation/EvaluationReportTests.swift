import Foundation
import SmileVision
import XCTest
@testable import SmileKit

final class EvaluationReportTests: XCTestCase {
    func makeInput() -> EvaluationReport.Input {
        let whole = [(1, 0.9), (1, 0.4), (0, 0.6), (0, 0.1)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        let detected = [(1, 0.8), (1, 0.7), (0, 0.3)].map { ScoredLabel(label: $0.0, probability: $0.1) }
        var stats = DetectionStatistics()
        stats.add(detections: [Rect(x: 0, y: 0, width: 40, height: 40)],
                  truths: [Rect(x: 1, y: 1, width: 40, height: 40), Rect(x: 200, y: 0, width: 150, height: 150)])
        return EvaluationReport.Input(
            title: "Smile <eval>",
            run: .init(model: "vgg19 & co.safetensors", date: Date(timeIntervalSince1970: 0), command: "smile evaluate --data 'x'"),
            modes: [ModeEvaluation(name: "without detection", samples: whole, bootstrapReplicates: 100),
                    ModeEvaluation(name: "with detection", samples: detected, bootstrapReplicates: 100)],
            zoom: .init(xLabel: "face size (px)", series: [
                .init(name: "without detection", points: [(64, 0.2), (32, 0.1), (128, 0.6)]),
                .init(name: "with detection", points: [(32, 0.3), (128, 0.9)]),
            ]),
            detection: stats,
            gallery: [.init(jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]), probability: 0.4, trueLabel: 1, source: "a<b&\"c\".jpg")])
    }

    func testContainsEverySectionWithHeading() {
        let html = EvaluationReport.html(makeInput())
        for id in ["summary", "confusion", "roc", "zoom", "detection", "gallery"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">\n<h2>"), "missing section \(id)")
        }
        XCTAssertEqual(EvaluationReport.sectionIDs, ["summary", "confusion", "roc", "calibration", "zoom", "detection", "gallery"])
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains("without detection"))
        XCTAssertTrue(html.contains("1970-01-01T00:00:00Z"))
        XCTAssertTrue(html.contains("data:image/jpeg;base64,/9j/2Q=="))
        XCTAssertTrue(html.contains("32–64 px"))
    }

    func testEscapesText() {
        let html = EvaluationReport.html(makeInput())
        XCTAssertTrue(html.contains("a&lt;b&amp;&quot;c&quot;.jpg"))
        XCTAssertFalse(html.contains("a<b&\"c\".jpg"))
        XCTAssertTrue(html.contains("Smile &lt;eval&gt;"))
        XCTAssertTrue(html.contains("vgg19 &amp; co.safetensors"))
        XCTAssertTrue(html.contains("smile evaluate --data &#39;x&#39;"))
        XCTAssertEqual(HTMLEscaping.escape("<&>\"'"), "&lt;&amp;&gt;&quot;&#39;")
    }

    func testSelfContained() {
        let html = EvaluationReport.html(makeInput())
        XCTAssertFalse(html.lowercased().contains("http"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("<link"))
    }

    func testMissingDataSaysSoAndUndefinedIsNA() {
        let input = EvaluationReport.Input(
            run: .init(model: "m", date: Date(), command: "c"),
            modes: [ModeEvaluation(name: "only positives", samples: [ScoredLabel(label: 1, probability: 0.9)])])
        let html = EvaluationReport.html(input)
        for id in EvaluationReport.sectionIDs { XCTAssertTrue(html.contains("id=\"\(id)\"")) }
        XCTAssertTrue(html.contains("n/a"))
        XCTAssertTrue(html.contains("Not measured in this run."))
    }

    func testWriteIsAtomicAndLeavesNoTemporaryFile() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let url = tmp.url.appendingPathComponent("report.html")
        try Data("old".utf8).write(to: url)
        try EvaluationReport.write(makeInput(), to: url)
        XCTAssertTrue(try String(contentsOf: url, encoding: .utf8).contains("id=\"gallery\""))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.url.path), ["report.html"])
    }
}
