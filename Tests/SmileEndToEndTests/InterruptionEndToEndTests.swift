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

    /// Also writes annotated frames (through temporary files and renames), checks every one the killed
    /// run left decodes, and that the resumed run removes temporary files of dead runs, and only those.
    func testKill9LeavesParseableOutputsAndResumeCompletesIt() throws {
        try interruptAndResume(command: "frames", signal: SIGKILL, expectedStatus: SIGKILL, annotateFrames: true)
    }

    private func interruptAndResume(command: String, signal: Int32, expectedStatus: Int32, annotateFrames: Bool = false) throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let frames = try Self.makeFrames(in: work.appendingPathComponent("frames"))
        func arguments(_ name: String) -> [String] {
            let csv = work.appendingPathComponent("\(name).csv").path
            let annotate = annotateFrames ? ["--annotate", work.appendingPathComponent("\(name)-frames").path] : []
            // A full pass on every frame: with local search between full passes (the default), the
            // frames after the resume point may differ slightly from an unbroken run's (documented).
            return command == "frames" ? ["frames", frames.path, "--csv", csv, "--fps", "25", "--model", model.path, "--detect-every", "1"] + annotate
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
        let annotated = work.appendingPathComponent("stopped-frames")
        var planted: (stale: URL, live: URL, other: URL)?
        if annotateFrames {
            let names = try FileManager.default.contentsOfDirectory(atPath: annotated.path)
            let copies = names.filter { !$0.hasPrefix(".") }
            XCTAssertGreaterThanOrEqual(copies.count, 6, "annotated frames were written before the kill: \(names)")
            for name in copies {
                XCTAssertNoThrow(try ImageCodec.decode(file: annotated.appendingPathComponent(name).path), "\(name) is a whole image")
            }
            // A kill between writing a temporary file and renaming it is rare at this pace, so one is
            // planted as it would be left (a dead process's id, half a JPEG), beside one of a live
            // process (this test) and a file that only looks similar; both must be kept.
            let half = Array(try Data(contentsOf: annotated.appendingPathComponent(copies[0])).prefix(500))
            planted = (annotated.appendingPathComponent(".frame000039.jpg.\(try Self.deadPid()).tmp"),
                       annotated.appendingPathComponent(".frame000039.jpg.\(getpid()).tmp"),
                       annotated.appendingPathComponent("frame000039.jpg.1.tmp"))
            for url in [planted!.stale, planted!.live, planted!.other] { try Data(half).write(to: url) }
        }

        let resumed = try EndToEnd.run(arguments("stopped") + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        if let planted {
            let left = try FileManager.default.contentsOfDirectory(atPath: annotated.path).filter { $0.hasSuffix(".tmp") }
            XCTAssertEqual(Set(left), [planted.live.lastPathComponent, planted.other.lastPathComponent],
                           "no temporary file of a dead run is left; a live run's and an unrelated file are kept")
            XCTAssertTrue(resumed.err.contains("removed \(planted.stale.path)"), "the removal is reported: \(resumed.err)")
            let copies = try FileManager.default.contentsOfDirectory(atPath: annotated.path).filter { !$0.hasPrefix(".") && $0.hasSuffix(".jpg") }
            XCTAssertEqual(copies.count, Self.frameCount, "every frame has its annotated copy after the resumed run")
        }
        XCTAssertTrue(resumed.err.contains("were already done"), resumed.err)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8), freshCSV, "resumed CSV equals an uninterrupted run's")

        let again = try EndToEnd.run(arguments("stopped") + ["--resume"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.err.contains("\(Self.frameCount) \(command == "frames" ? "frames" : "photos") were already done"), again.err)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8), freshCSV, "resuming a finished run changes nothing")
    }

    /// The id of a process that has ended (started and waited for).
    static func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
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
