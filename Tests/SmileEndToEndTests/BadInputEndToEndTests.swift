import Foundation
import SmileVision
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
            let lines = errors.filter { $0.contains("/" + entry.name + ": ") }
            XCTAssertEqual(lines.count, 1, "\(entry.name) is named once: \(result.err)")
            let path = corpus.appendingPathComponent(entry.name).path
            XCTAssertEqual(lines.first.map { $0.components(separatedBy: path).count - 1 }, 1, "its line names the file once: \(lines)")
        }
        XCTAssertTrue(errors.contains { $0.contains("bomb.png") && $0.contains("100000") }, "the bomb's size is the reason: \(errors)")
        XCTAssertEqual(errors.filter { $0.contains("symlink loop") }.count, 1, "the loop is reported once: \(errors)")
        XCTAssertTrue(errors.contains { $0.contains("tiny.gif") }, "a GIF (no reader in OpenCV 4.6) is named: \(errors)")
        XCTAssertEqual(errors.count, bad.count + 2, "only the bad files, the loop and the GIF are errors: \(errors)")
        for line in errors where !line.contains("symlink loop") { XCTAssertFalse(line.hasSuffix(": "), "each error has a reason: \(line)") }

        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["image", "face", "x", "y", "w", "h", "p_smile", "smiling", "angle"])
        XCTAssertTrue(rows.allSatisfy { $0.count == 9 }, "every row has 9 fields: \(rows)")
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

    /// A file the user may not read is named with the reason; the other photo is still processed.
    /// Root reads a `chmod 000` file anyway, so as root (CI) the binary runs as `nobody`.
    func testUnreadableFileIsNamed() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let locked = work.appendingPathComponent("locked.jpg"), readable = work.appendingPathComponent("readable.jpg")
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: locked.path)
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: readable.path)
        chmod(locked.path, 0)
        defer { chmod(locked.path, 0o644) }
        let out = work.appendingPathComponent("out")
        let arguments = ["annotate", locked.path, readable.path, "--out", out.path, "--model", model.path]
        let result: (status: Int32, out: String, err: String)
        if getuid() == 0 {
            // nobody reads the model and the readable photo, writes into out/, and cannot open locked.jpg.
            chmod(work.path, 0o755)
            for file in [model, readable] { chmod(file.path, 0o644) }
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            XCTAssertEqual(chown(out.path, UnprivilegedRun.uid, UnprivilegedRun.gid), 0, "out/ is given to nobody")
            result = try UnprivilegedRun.run(try UnprivilegedRun.binary(copyingInto: work), arguments)
        } else {
            result = try EndToEnd.run(arguments)
        }
        XCTAssertEqual(result.status, 1, "one input failed: \(result.err)")
        let errors = result.err.components(separatedBy: "\n").filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 1, "only the unreadable file is an error: \(result.err)")
        XCTAssertTrue(errors.first?.contains(locked.path) ?? false, "the file is named: \(errors)")
        XCTAssertTrue(errors.first?.contains("Permission denied") ?? false, "the reason is given: \(errors)")
        XCTAssertTrue(result.err.contains("1 photos"), "the readable photo is still processed: \(result.err)")
        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, [readable.path], "the readable photo, and only it, is in the table")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("readable.jpg").path), "its annotated copy")
    }

    /// A CMYK JPEG (print workflows write them) is decoded as colour, right way round, and processed.
    func testCMYKJPEGIsDecodedAsColourAndProcessed() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let cmyk = work.appendingPathComponent("cmyk.jpg")
        guard CMYKJPEG.write(to: cmyk) != nil else {
            throw XCTSkip("neither python3-pil nor imagemagick is installed, so no CMYK JPEG can be made here (OpenCV writes only RGB and gray); .ci/run installs python3-pil")
        }
        let decoded = try ImageCodec.decode(file: cmyk.path)
        XCTAssertEqual(decoded.channels, 3, "decoded as colour")
        let model = try EndToEnd.tinyModelFile(in: work)
        let out = work.appendingPathComponent("out")
        let result = try EndToEnd.run(["annotate", cmyk.path, "--out", out.path, "--model", model.path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertFalse(result.err.contains("error:"), result.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: out.appendingPathComponent("faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, [cmyk.path], "processed: one row (no face) for the photo")
        // The ink C, M, Y, K = 0, 128, 255, 30 is orange: PIL reads the file back as red 225, green 112, blue 0
        // (255 (1 - ink) (1 - K)). An inverted reading (Adobe CMYK JPEGs store inverted ink) would come out blue.
        let copy = try ImageCodec.decode(file: out.appendingPathComponent("cmyk.jpg").path)
        XCTAssertEqual(copy.channels, 3)
        let (b, g, r) = (Int(copy[48, 32, 0]), Int(copy[48, 32, 1]), Int(copy[48, 32, 2]))
        XCTAssertEqual(r, 225, accuracy: 25, "red of the annotated copy (b, g, r = \(b), \(g), \(r))")
        XCTAssertEqual(g, 112, accuracy: 25, "green of the annotated copy (b, g, r = \(b), \(g), \(r))")
        XCTAssertEqual(b, 0, accuracy: 25, "blue of the annotated copy (b, g, r = \(b), \(g), \(r))")
    }
}
