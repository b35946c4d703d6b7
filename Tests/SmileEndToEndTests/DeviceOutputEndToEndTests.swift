import Foundation
import XCTest

/// Tables written to devices: checked writes, and the device left a device.
final class DeviceOutputEndToEndTests: XCTestCase {
    private func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR
    }

    func testAFullDeviceIsAnErrorAndStaysADevice() throws {
        guard isCharacterDevice("/dev/full") else { throw XCTSkip("no /dev/full here") }
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        for option in ["--csv", "--json"] {
            let result = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("out\(option)").path,
                                           option, "/dev/full", "--model", model.path])
            XCTAssertEqual(result.status, 1, "\(option): \(result.err)")
            XCTAssertTrue(result.err.contains("/dev/full") && result.err.contains("No space left on device"), "\(option): \(result.err)")
            XCTAssertTrue(isCharacterDevice("/dev/full"), "\(option): /dev/full must stay a device")
        }
    }

    func testWithoutOutTheTableGoesToStandardOutputAndEqualsTheFile() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for name in ["a.jpg", "b.jpg"] { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent(name).path) }
        let file = work.appendingPathComponent("faces.csv")
        let toFile = try EndToEnd.run(["annotate", photos.path, "--csv", file.path, "--model", model.path])
        let filter = try EndToEnd.run(["annotate", photos.path, "--model", model.path])
        let dash = try EndToEnd.run(["annotate", photos.path, "--csv", "-", "--out", work.appendingPathComponent("copies").path, "--model", model.path])
        for result in [toFile, filter, dash] { XCTAssertEqual(result.status, 0, result.err) }
        XCTAssertTrue(toFile.out.isEmpty, "nothing on standard output when the table goes to a file: \(toFile.out)")
        XCTAssertEqual(filter.out, try String(contentsOf: file, encoding: .utf8))
        XCTAssertEqual(dash.out, filter.out)
        XCTAssertTrue(filter.err.contains("2 photos"), "messages stay on standard error: \(filter.err)")
        let written = try FileManager.default.contentsOfDirectory(atPath: work.path)
        XCTAssertTrue(written.filter { $0.hasSuffix(".jpg") }.isEmpty, "no annotated copies without --out: \(written)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("copies/a.jpg").path))
        XCTAssertNotEqual(try EndToEnd.run(["annotate", photos.path, "--resume", "--model", model.path]).status, 0, "no table file to resume")
    }

    func testAReaderThatGoesAwayStopsTheRunQuietly() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let photos = work.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for index in 0..<40 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: photos.appendingPathComponent("p\(index).jpg").path) }
        // `smile annotate photos | head -1` through a shell, as a user types it.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" annotate \"$1\" --model \"$2\" 2>\"$3\" | head -1",
                           EndToEnd.binary.path, photos.path, model.path, work.appendingPathComponent("err.txt").path]
        let pipe = Pipe()
        shell.standardOutput = pipe
        try shell.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        XCTAssertEqual(out, "image,face,x,y,w,h,p_smile,smiling,angle\n")
        let err = try String(contentsOf: work.appendingPathComponent("err.txt"), encoding: .utf8)
        XCTAssertFalse(err.contains("Fatal error") || err.contains("Crash") || err.contains("error:"), "a quiet stop: \(err)")
    }

    func testJSONToStandardOutputParses() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let result = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("out").path,
                                       "--json", "/dev/stdout", "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)
        let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.count, 1, result.out)
    }
}
