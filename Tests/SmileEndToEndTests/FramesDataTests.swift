import Foundation
import SmileVision
import XCTest

/// `smile frames` on real video (needs SMILE_DATA; CI sets it).
final class FramesDataTests: XCTestCase {
    private func video(_ name: String) throws -> String {
        guard let root = EndToEnd.dataRoot else { throw XCTSkip("SMILE_DATA is not set: skipping the frames tests on ../shared/data/video") }
        return (root as NSString).appendingPathComponent("video/\(name)")
    }

    /// Checks a frames CSV: header, column count, every frame present, one row per face or an empty row.
    private func checkFramesCSV(_ url: URL, frames: Int) throws -> [[String]] {
        let rows = EndToEnd.parseCSV(try String(contentsOf: url, encoding: .utf8))
        XCTAssertEqual(rows.first, ["frame", "file", "time_s", "face", "x", "y", "w", "h", "p_smile", "smiling",
                                    "track", "p_smile_smoothed", "angle"])
        let body = rows.dropFirst()
        XCTAssertTrue(body.allSatisfy { $0.count == 13 })
        XCTAssertTrue(body.allSatisfy { $0[3].isEmpty == $0[10].isEmpty }, "every face has a track id")
        XCTAssertEqual(Set(body.map { Int($0[0])! }), Set(0..<frames), "every frame appears")
        for (frame, group) in Dictionary(grouping: body, by: { $0[0] }) {
            if group.count == 1, group[0][3].isEmpty { continue }
            XCTAssertEqual(group.map { Int($0[3])! }, Array(0..<group.count), "faces of frame \(frame) numbered 0..n-1")
        }
        return Array(body)
    }

    func testFrameDirectoryFromTheHamiltonClip() throws {
        let source = try video("hamilton_clip.mp4")
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let frames = work.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        let reader = try VideoReader(path: source)
        var count = 0
        while let frame = try reader.next(), count < 120 {
            try Data(try ImageCodec.encode(frame.image, as: .png)).write(to: frames.appendingPathComponent("frame\(frame.index + 1).png"))
            count += 1
        }
        let model = try EndToEnd.tinyModelFile(in: work)
        let csv = work.appendingPathComponent("frames.csv")
        let result = try EndToEnd.run(["frames", frames.path, "--csv", csv.path, "--fps", "29.97", "--model", model.path,
                                       "--annotate", work.appendingPathComponent("annotated").path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = try checkFramesCSV(csv, frames: count)
        // Natural order: frame index i comes from file frame(i+1).png.
        for row in rows { XCTAssertEqual(row[1], "frame\(Int(row[0])! + 1).png") }
        XCTAssertGreaterThan(rows.filter { !$0[3].isEmpty }.count, count / 2, "the clip shows a face in most frames")
        let annotated = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("annotated").path)
        XCTAssertEqual(annotated.filter { !$0.hasPrefix(".") }.count, count, "one annotated frame each (and the hidden lock file)")
    }

    func testVideoFileDirectly() throws {
        let source = try video("hamilton_clip.mp4")
        let work = try EndToEnd.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let csv = work.appendingPathComponent("video.csv")
        let result = try EndToEnd.run(["frames", source, "--csv", csv.path, "--model", try EndToEnd.tinyModelFile(in: work).path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = try checkFramesCSV(csv, frames: 275)
        let times = rows.map { Double($0[2])! }
        XCTAssertEqual(times.last!, 274 / 29.97, accuracy: 0.1)
    }
}
