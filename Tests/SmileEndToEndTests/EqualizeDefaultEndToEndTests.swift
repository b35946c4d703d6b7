import Foundation
import SmileVision
import XCTest

/// The command line's equalising default: photos only when dim or flat, video frames always, and
/// --equalize / --no-equalize override both. (The boxes of the two searches differ by a pixel or
/// two on the astronaut, so each comparison tells the searches apart.)
final class EqualizeDefaultEndToEndTests: XCTestCase {
    /// The face boxes (x, y, w, h) a faces or frames table holds.
    private func boxes(_ csv: URL) throws -> [[String]] {
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8))
        let header = try XCTUnwrap(rows.first)
        let columns = ["x", "y", "w", "h"].compactMap { header.firstIndex(of: $0) }
        XCTAssertEqual(columns.count, 4)
        return rows.dropFirst().map { row in columns.map { row[$0] } }
    }

    /// The faces table of `command` on `input` with the extra `options`.
    private func table(_ command: String, _ input: URL, _ options: [String], in work: URL, model: URL) throws -> [[String]] {
        let csv = work.appendingPathComponent("\(UUID().uuidString).csv")
        var arguments = [command, input.path, "--csv", csv.path, "--model", model.path] + options
        if command == "annotate" { arguments += ["--out", work.appendingPathComponent(UUID().uuidString).path] }
        let result = try EndToEnd.run(arguments)
        XCTAssertEqual(result.status, 0, result.err)
        return try boxes(csv)
    }

    func testPhotosAreEqualisedOnlyWhenDimAndFramesAlways() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let bright = work.appendingPathComponent("bright"), dim = work.appendingPathComponent("dim")
        for folder in [bright, dim] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: bright.appendingPathComponent("astronaut.jpg").path)
        var darker = try ImageCodec.decode(file: EndToEnd.astronaut)
        darker.pixels = darker.pixels.map { UInt8(Double($0) * 0.3) }
        try Data(ImageCodec.encode(darker, as: .png)).write(to: dim.appendingPathComponent("astronaut.png"))

        let brightPlain = try table("annotate", bright, ["--no-equalize"], in: work, model: model)
        let brightEqualised = try table("annotate", bright, ["--equalize"], in: work, model: model)
        XCTAssertNotEqual(brightPlain, brightEqualised, "the two searches should differ here")
        XCTAssertEqual(try table("annotate", bright, [], in: work, model: model), brightPlain, "a well-lit photo")
        XCTAssertEqual(try table("annotate", dim, [], in: work, model: model),
                       try table("annotate", dim, ["--equalize"], in: work, model: model), "a dim photo")
        XCTAssertEqual(try table("frames", bright, [], in: work, model: model),
                       try table("frames", bright, ["--equalize"], in: work, model: model), "a video frame")
    }
}
