import Foundation
import XCTest

/// `--detector yunet` through the binary: its table's columns, its landmarks, and a damaged model refused.
final class YuNetEndToEndTests: XCTestCase {
    private let landmarkColumns = ["score", "right_eye_x", "right_eye_y", "left_eye_x", "left_eye_y", "nose_x", "nose_y",
                                   "mouth_right_x", "mouth_right_y", "mouth_left_x", "mouth_left_y"]

    func testYuNetTablesCarryScoreAndLandmarksAndHaarTablesKeepTheirColumns() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let yunet = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("y").path, "--detector", "yunet",
                                      "--landmarks", "--json", work.appendingPathComponent("y.json").path, "--model", model.path])
        XCTAssertEqual(yunet.status, 0, yunet.err)
        let rows = EndToEnd.parseCSV(try String(contentsOf: work.appendingPathComponent("y/faces.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["image", "face", "x", "y", "w", "h", "p_smile", "smiling", "angle"] + landmarkColumns)
        XCTAssertEqual(rows.count, 2, "\(rows)")
        let row = rows[1].map { Double($0) }
        let (x, y, w) = (row[2]!, row[3]!, row[4]!)
        XCTAssertGreaterThan(row[9]!, 0.9, "score")
        for k in stride(from: 10, to: 20, by: 2) {
            XCTAssertTrue((x...(x + w)).contains(row[k]!) && (y...(y + w)).contains(row[k + 1]!), "landmark \(row[k]!),\(row[k + 1]!) in the box")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("y.json"))) as? [[String: Any]]
        let face = (json?.first?["faces"] as? [[String: Any]])?.first
        XCTAssertEqual((face?["landmarks"] as? [[Double]])?.count, 5)
        XCTAssertNotNil(face?["score"])

        let haar = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("h").path,
                                     "--json", work.appendingPathComponent("h.json").path, "--model", model.path])
        XCTAssertEqual(haar.status, 0, haar.err)
        let haarRows = EndToEnd.parseCSV(try String(contentsOf: work.appendingPathComponent("h/faces.csv"), encoding: .utf8))
        XCTAssertEqual(haarRows.first, ["image", "face", "x", "y", "w", "h", "p_smile", "smiling", "angle"])
        let haarJSON = try String(contentsOf: work.appendingPathComponent("h.json"), encoding: .utf8)
        XCTAssertFalse(haarJSON.contains("landmarks") || haarJSON.contains("score"), haarJSON)

        // A table of the other layout is not resumed into.
        let mixed = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.appendingPathComponent("h").path, "--resume",
                                      "--detector", "yunet", "--model", model.path])
        XCTAssertEqual(mixed.status, 1, mixed.err)
        XCTAssertTrue(mixed.err.contains("faces.csv"), mixed.err)
        XCTAssertFalse(try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", work.path, "--landmarks"]).status == 0)
    }

    func testFramesTablesCarryTheLandmarksAndCompareAndResume() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let frames = work.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        for index in 0..<4 { try FileManager.default.copyItem(atPath: EndToEnd.astronaut, toPath: frames.appendingPathComponent("f\(index).jpg").path) }
        let csv = work.appendingPathComponent("yunet.csv"), every = work.appendingPathComponent("every.csv")
        for (file, interval) in [(csv, "3"), (every, "1")] {
            let result = try EndToEnd.run(["frames", frames.path, "--csv", file.path, "--detector", "yunet", "--detect-every", interval, "--model", model.path])
            XCTAssertEqual(result.status, 0, result.err)
        }
        let rows = EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8))
        XCTAssertEqual(rows.first.map { Array($0.suffix(landmarkColumns.count)) }, landmarkColumns)
        XCTAssertEqual(rows.count, 5, "a face in each of four frames: \(rows)")
        XCTAssertTrue(rows.dropFirst().allSatisfy { Double($0[13]) ?? 0 > 0.9 }, "scores: \(rows)")
        let compared = try EndToEnd.run(["compare-frames", every.path, csv.path])
        XCTAssertEqual(compared.status, 0, compared.err)
        XCTAssertTrue(compared.out.contains("4 of 4 faces"), compared.out)
        let resumed = try EndToEnd.run(["frames", frames.path, "--csv", csv.path, "--detector", "yunet", "--resume", "--model", model.path])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertEqual(EndToEnd.parseCSV(try String(contentsOf: csv, encoding: .utf8)), rows, "nothing left to do")
        let other = try EndToEnd.run(["frames", frames.path, "--csv", csv.path, "--resume", "--model", model.path])
        XCTAssertEqual(other.status, 1, "the Haar layout is not resumed into a YuNet table: \(other.err)")
    }

    func testADamagedDetectorModelIsRefusedByItsChecksum() throws {
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = try EndToEnd.tinyModelFile(in: work)
        let shipped = EndToEnd.projectRoot.appendingPathComponent("models/yunet/face_detection_yunet_2022mar.onnx")
        var bytes = try Data(contentsOf: shipped)
        let truncated = work.appendingPathComponent("truncated.onnx")
        try bytes.prefix(100_000).write(to: truncated)
        bytes[200_000] ^= 0x01
        let changed = work.appendingPathComponent("changed.onnx")
        try bytes.write(to: changed)
        for file in [truncated, changed] {
            let out = work.appendingPathComponent("out-" + file.lastPathComponent)
            let result = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--out", out.path, "--detector", "yunet",
                                           "--detector-model", file.path, "--model", model.path])
            XCTAssertEqual(result.status, 1, result.err)
            XCTAssertTrue(result.err.contains(file.path) && result.err.contains("not the expected YuNet model"), result.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("astronaut.jpg").path), "nothing annotated")
        }
    }
}
