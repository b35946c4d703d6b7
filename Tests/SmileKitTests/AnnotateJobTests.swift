import Foundation
import SmileVision
import XCTest
@testable import SmileKit

/// `AnnotateJob` reads and searches photos on a thread of its own (`PhotoStages`): rows, copies and
/// failures must still come in input order, and a stop must end the run without waiting on it.
final class AnnotateJobTests: XCTestCase {
    var tmp: TempDirectory!
    var pipeline: SmilePipeline!

    override func setUpWithError() throws {
        tmp = try TempDirectory()
        pipeline = try Fixtures.tinyPipeline()
    }
    override func tearDown() { tmp.remove() }

    /// in/a.jpg and in/d.jpg (the astronaut), in/b.jpg (not an image), in/c.png (flat grey, no face).
    private func makeInputs() throws {
        for name in ["a.jpg", "d.jpg"] {
            try tmp.write("in/\(name)")
            try FileManager.default.removeItem(atPath: tmp.path("in/\(name)"))
            try FileManager.default.copyItem(atPath: Fixtures.astronaut, toPath: tmp.path("in/\(name)"))
        }
        try tmp.write("in/b.jpg", "not a JPEG")
        let png = try ImageCodec.encode(Image(width: 200, height: 150, channels: 3, filledWith: 128), as: .png)
        try Data(png).write(to: tmp.url.appendingPathComponent("in/c.png"))
    }

    /// The image column of the CSV's rows, in file order.
    private func imagesInRows(_ csv: URL) throws -> [String] {
        try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    func testRowsAndFailuresComeInInputOrder() throws {
        try makeInputs()
        let capture = Fixtures.Capture()
        let job = AnnotateJob(inputs: [tmp.path("in")], outputDirectory: tmp.url.appendingPathComponent("out"))
        let summary = try job.run(pipeline: pipeline, console: capture.console)
        XCTAssertEqual(summary.processed, 3)
        XCTAssertEqual(summary.failures.map(\.path), [tmp.path("in/b.jpg")])
        XCTAssertTrue(capture.text.contains("b.jpg"), capture.text)
        let images = try imagesInRows(tmp.url.appendingPathComponent("out/faces.csv"))
        XCTAssertEqual(images.first, tmp.path("in/a.jpg"))
        XCTAssertEqual(images.last, tmp.path("in/d.jpg"))
        XCTAssertEqual(images.filter { $0 == tmp.path("in/c.png") }.count, 1, "a photo without faces has one row")
        XCTAssertEqual(images, images.sorted(), "rows in input order")
        // The faces found on the stage's thread are the ones a direct call finds.
        let direct = try pipeline.detector.detectFaces(in: ImageCodec.decode(file: Fixtures.astronaut))
        XCTAssertEqual(images.filter { $0 == tmp.path("in/a.jpg") }.count, max(direct.count, 1))
        XCTAssertEqual(pipeline.timings.images, 3)
        for name in ["a.jpg", "c.png", "d.jpg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: tmp.path("out/\(name)")), name)
        }
    }

    func testAStopBeforeTheFirstPhotoEndsTheRunAndResumeDoesTheRest() throws {
        try makeInputs()
        let out = tmp.url.appendingPathComponent("out")
        let capture = Fixtures.Capture()  // (its console holds it unowned)
        let stop = StopRequest()
        stop.request(SIGTERM)
        let stopped = try AnnotateJob(inputs: [tmp.path("in")], outputDirectory: out)
            .run(pipeline: pipeline, console: capture.console, stop: stop)
        XCTAssertEqual(stopped.stoppedBy, SIGTERM)
        XCTAssertEqual(stopped.processed, 0)
        XCTAssertEqual(try imagesInRows(out.appendingPathComponent("faces.csv")), [])

        let first = try AnnotateJob(inputs: [tmp.path("in/a.jpg")], outputDirectory: out, resume: true)
            .run(pipeline: pipeline, console: capture.console)
        XCTAssertEqual(first.processed, 1)
        let rest = try AnnotateJob(inputs: [tmp.path("in")], outputDirectory: out, resume: true)
            .run(pipeline: pipeline, console: capture.console)
        XCTAssertEqual(rest.alreadyDone, 1)
        XCTAssertEqual(rest.processed, 2)
        XCTAssertEqual(rest.failures.count, 1)
    }
}
