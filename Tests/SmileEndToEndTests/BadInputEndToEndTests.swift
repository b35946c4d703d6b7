import Foundation
import XCTest

/// `smile annotate` over a corpus of bad, odd and good files: bad ones named, good ones processed.
final class BadInputEndToEndTests: XCTestCase {
    func testCorpusBadInputsAreNamedAndGoodOnesProcessed() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let corpus = work.appendingPathComponent("corpus")
        let entries = try BadImageCorpus.write(into: corpus)
        let gif = work.appendingPathComponent("tiny.gif")
        try Data(BadImageCorpus.gif1x1).write(to: gif)
        let before = try BadImageCorpus.snapshot(corpus)
        let out = work.appendingPathComponent("out")

        let result = try EndToEnd.run(["annotate", corpus.path, gif.path, "--out", out.path, "--model", model.path])

        XCTAssertEqual(result.status, 1, "some inputs failed: \(result.err)")
        let errors = result.err.components(separatedBy: "\n").filter { $0.hasPrefix("error: ") }
        let bad = entries.filter { !$0.isGood }
        for entry in bad {
            XCTAssertEqual(errors.filter { $0.contains("/" + entry.name + ": ") }.count, 1, "\(entry.name) is named once: \(result.err)")
        }
        XCTAssertTrue(errors.contains { $0.contains("bomb.png") && $0.contains("100000") }, "the bomb's size is the reason: \(errors)")
        XCTAssertEqual(errors.filter { $0.contains("symlink loop") }.count, 1, "the loop is reported once: \(errors)")
        XCTAssertTrue(errors.contains { $0.contains("tiny.gif") }, "a GIF (no reader in OpenCV 4.6) is named: \(errors)")
        XCTAssertEqual(errors.count, bad.count + 2, "only the bad files, the loop and the GIF are errors: \(errors)")
        for line in errors where !line.contains("symlink loop") { XCTAssertFalse(line.hasSuffix(": "), "each error has a reason: \(line)") }

        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["image", "face", "x", "y", "w", "h", "p_smile", "smiling"])
        XCTAssertTrue(rows.allSatisfy { $0.count == 8 }, "every row has 8 fields: \(rows)")
        let good = entries.filter(\.isGood)
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }), Set(good.map { corpus.appendingPathComponent($0.name).path }),
                       "every good input, and only those, is in the table")
        for name in BadImageCorpus.oddNames + ["good.jpg"] {
            let faces = rows.filter { $0[0] == corpus.appendingPathComponent(name).path }
            XCTAssertEqual(faces.count, 1, "one face in the sample copy \(name.debugDescription)")
            XCTAssertEqual(faces.first.flatMap { Int($0[4]) } ?? 0, 93, accuracy: 8)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "annotated copy of \(name.debugDescription)")
        }
        XCTAssertEqual(try BadImageCorpus.snapshot(corpus), before, "no input file was changed")
    }

    func testUnreadableFileIsNamed() throws {
        try XCTSkipIf(getuid() == 0, "running as root, which reads a chmod 000 file anyway: the permission case cannot be made here")
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let locked = work.appendingPathComponent("locked.jpg")
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: locked.path)
        chmod(locked.path, 0)
        defer { chmod(locked.path, 0o644) }
        let result = try EndToEnd.run(["annotate", locked.path, EndToEnd.astronaut, "--out", work.appendingPathComponent("out").path, "--model", model.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("locked.jpg"), result.err)
        XCTAssertTrue(result.err.contains("1 photos"), "the readable photo is still processed: \(result.err)")
    }

    func testCMYKJPEGIsProcessed() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let cmyk = work.appendingPathComponent("cmyk.jpg")
        // OpenCV cannot write CMYK; Debian's python3-pil can, when it is installed.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import sys; from PIL import Image; Image.new('CMYK', (96, 64), (0, 128, 255, 30)).save(sys.argv[1])", cmyk.path]
        python.standardError = FileHandle.nullDevice
        try python.run()
        python.waitUntilExit()
        try XCTSkipIf(python.terminationStatus != 0, "python3-pil is not installed, so no CMYK JPEG can be made here (OpenCV only writes RGB/gray)")
        let model = try EndToEnd.tinyModelFile(in: work)
        let out = work.appendingPathComponent("out")
        let result = try EndToEnd.run(["annotate", cmyk.path, "--out", out.path, "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, [cmyk.path])
    }
}
