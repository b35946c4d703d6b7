import Foundation
import SmileKit
import XCTest

/// `smile model calibrate` on the data sets' train sides, then `--precision int8` (needs SMILE_DATA; CI sets it).
final class Int8CalibrationDataTests: XCTestCase {
    func testCalibrationIsDeterministicForASeedAndRunsInInt8() throws {
        guard let root = EndToEnd.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping the int8 calibration test on ../shared/data") }
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        func calibrate(seed: Int, to name: String) throws -> [String: [Float]] {
            let out = work.appendingPathComponent(name)
            let run = try EndToEnd.run(["model", "calibrate", "--data", root, "--sets", "genki4k,muxspace", "--crops", "120",
                                        "--seed", String(seed), "--out", out.path])
            XCTAssertEqual(run.status, 0, run.err)
            let model = try SmileModel.load(contentsOf: out)
            XCTAssertNotNil(model.metadata.provenance["int8_calibration"])
            return try XCTUnwrap(model.metadata.int8InputMaxima)
        }
        let first = try calibrate(seed: 7, to: "a.safetensors"), again = try calibrate(seed: 7, to: "b.safetensors")
        let other = try calibrate(seed: 8, to: "c.safetensors")
        XCTAssertEqual(first, again, "the same seed, the same maxima")
        XCTAssertNotEqual(first, other, "another seed draws other crops")
        XCTAssertNil(first["block1_conv1"], "the first layer sees negative inputs and stays in float")
        XCTAssertEqual(first["block2_conv2"]?.count, 16, "one maximum per input channel")

        let float = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--csv", work.path + "/f.csv", "--model", work.path + "/a.safetensors",
                                      "--precision", "float32"])
        let int8 = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--csv", work.path + "/i.csv", "--model", work.path + "/a.safetensors",
                                     "--precision", "int8"])
        XCTAssertEqual(float.status, 0, float.err)
        XCTAssertEqual(int8.status, 0, int8.err)
        let p = { (file: String) in Double(EndToEnd.parseCSV(try String(contentsOfFile: work.path + "/" + file, encoding: .utf8))[1][6])! }
        XCTAssertEqual(try p("i.csv"), try p("f.csv"), accuracy: 0.05, "int8 follows float32 on the sample face")

        let uncalibrated = try EndToEnd.run(["annotate", EndToEnd.astronaut, "--csv", work.path + "/u.csv", "--precision", "int8",
                                             "--model", try EndToEnd.tinyModelFile(in: work).path])
        XCTAssertNotEqual(uncalibrated.status, 0)
        XCTAssertTrue(uncalibrated.err.contains("has no int8 calibration"), uncalibrated.err)
    }
}
