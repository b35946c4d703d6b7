import Foundation
import SmileVision
import XCTest

/// Stopping `smile` mid-run (SIGINT, SIGTERM, kill -9) and continuing with `--resume`.
///
/// Each test starts the binary, waits until the CSV holds a few rows, sends the signal,
/// checks the CSV is whole, resumes, and compares the result with an uninterrupted run.
final class InterruptionEndToEndTests: XCTestCase {
    static let frameCount = 40

    func testSIGINTStopsFramesCleanlyAndResumeCompletesIt() throws {
        try interruptAndResume(command: "frames", signal: SIGINT, expectedStatus: 130)
    }

    func testSIGTERMStopsAnnotateCleanlyAndResumeCompletesIt() throws {
        try interruptAndResume(command: "annotate", signal: SIGTERM, expectedStatus: 143)
    }

    func testKill9LeavesAParseableCSVAndResumeCompletesIt() throws {
        try interruptAndResume(command: "frames", signal: SIGKILL, expectedStatus: SIGKILL)
    }

    private func interruptAndResume(command: String, signal: Int32, expectedStatus: Int32) throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let frames = try Self.makeFrames(in: work.appendingPathComponent("frames"))
        func arguments(_ name: String) -> [String] {
            let csv = work.appendingPathComponent("\(name).csv").path
            return command == "frames" ? ["frames", frames.path, "--csv", csv, "--fps", "25", "--model", model.path]
                                       : ["annotate", frames.path, "--out", work.appendingPathComponent("\(name)-out").path, "--csv", csv, "--model", model.path]
        }
        let fresh = try EndToEnd.run(arguments("fresh"))
        XCTAssertEqual(fresh.status, 0, fresh.err)
        let freshCSV = try String(contentsOf: work.appendingPathComponent("fresh.csv"), encoding: .utf8)
        XCTAssertEqual(Set(EndToEnd.parseCSV(freshCSV).dropFirst().map { $0[0] }).count, Self.frameCount, "every frame (first column: frame number or image) has rows")

        let csv = work.appendingPathComponent("stopped.csv")
        let stopped = try EndToEnd.runAndSignal(arguments("stopped"), signal: signal, whenRowsIn: csv, reach: 6)
        XCTAssertEqual(stopped.status, expectedStatus, stopped.err)
        if signal != SIGKILL {
            XCTAssertTrue(stopped.err.contains("stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM")"), stopped.err)
            XCTAssertTrue(stopped.err.contains("--resume"), stopped.err)
        }
        let partial = try String(contentsOf: csv, encoding: .utf8)
        XCTAssertTrue(partial.hasSuffix("\n"), "whole rows only")
        let partialRows = EndToEnd.parseCSV(partial)
        XCTAssertTrue(partialRows.allSatisfy { $0.count == partialRows[0].count }, "every row complete: \(partialRows)")
        XCTAssertGreaterThanOrEqual(partialRows.count - 1, 6)
        XCTAssertLessThan(Set(partialRows.dropFirst().map { $0[0] }).count, Self.frameCount, "the run was stopped before the end")
        XCTAssertTrue(freshCSV.hasPrefix(partial), "the kept rows are exactly the first rows of a full run")

        let resumed = try EndToEnd.run(arguments("stopped") + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.err.contains("were already done"), resumed.err)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8), freshCSV, "resumed CSV equals an uninterrupted run's")

        let again = try EndToEnd.run(arguments("stopped") + ["--resume"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.err.contains("\(Self.frameCount) \(command == "frames" ? "frames" : "photos") were already done"), again.err)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8), freshCSV, "resuming a finished run changes nothing")
    }

    /// `frameCount` frames cut from the sample photo, shifted and scaled so each has the face somewhere else.
    static func makeFrames(in directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let photo = try ImageCodec.decode(file: EndToEnd.astronaut)
        for index in 0..<frameCount {
            let side = 300 + (index % 10) * 12
            let crop = Rect(x: 60 + index * 2, y: 10 + index, width: side, height: side)
            let frame = photo.croppedResized(to: crop, width: 320, height: 320)
            try Data(try ImageCodec.encode(frame, as: .jpeg(quality: 90))).write(to: directory.appendingPathComponent("frame\(index + 1).jpg"))
        }
        return directory
    }
}
